import { expect } from '@esm-bundle/chai';
import { VoiceAssistantError } from '../../src/errors.js';
import { fetchAsset } from '../../src/internal/asset-download.js';
import { ASSET_CACHE, ASSET_MANIFEST, sha256 } from '../../src/internal/verified-asset.js';
import { CDN_ORIGIN } from '../helpers/origins.js';

// Verified, resumable, persistent downloads of the large assets (the built dist/ on the loopback
// CDN, tests/fakes/cdn-server.mjs, which can tamper with a file or cut a download half-way).

const MODEL = 'silero_vad_v5.onnx';
type Logged = { path: string; status: number; range?: number; bytes: number };
const log = async (): Promise<Logged[]> => (await fetch(`${CDN_ORIGIN}/__log`)).json();

describe('large asset downloads (models, wasm)', () => {
  let manifest: Record<string, { size: number; sha256: string; integrity: string }>;

  before(async () => {
    manifest = (await (await fetch(`${CDN_ORIGIN}/${ASSET_MANIFEST}`)).json()).files;
  });
  beforeEach(async () => {
    await caches.delete(ASSET_CACHE);
    await fetch(`${CDN_ORIGIN}/__reset`, { method: 'POST' });
  });

  it('the build lists every asset the widget fetches, with size and SHA-256 that match the bytes', async () => {
    for (const name of [MODEL, 'ort-wasm-simd-threaded.wasm', 'flite.wasm', 'soundswallower.wasm', 'sphinx-en-us/mdef', 'voice-assistant.js']) {
      const entry = manifest[name];
      expect(entry, name).to.not.equal(undefined);
      const bytes = await (await fetch(`${CDN_ORIGIN}/${name}`)).arrayBuffer();
      expect(bytes.byteLength, name).to.equal(entry!.size);
      expect(await sha256(bytes), name).to.equal(entry!.sha256);
      expect(entry!.integrity, name).to.match(/^sha384-[A-Za-z0-9+/]{64}$/);
    }
  });

  it('a tampered file is fetched once more from the server and then refused with asset-integrity', async () => {
    const url = `${CDN_ORIGIN}/tamper/${MODEL}`;
    const error = await fetchAsset(url, 'the speech detector', { name: MODEL }).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(VoiceAssistantError);
    expect((error as VoiceAssistantError).code).to.equal('asset-integrity');
    expect((error as VoiceAssistantError).recoverable).to.equal(false);
    expect((error as Error).message).to.match(/does not match the build's asset-manifest\.json/);
    expect((await log()).filter((l) => l.path === `/tamper/${MODEL}`)).to.have.length(2);
    // Nothing refused was kept for a later visit.
    expect(await (await caches.open(ASSET_CACHE)).keys()).to.have.length(0);
  });

  it('a download cut half-way resumes with Range: the rest only, and the whole file verified', async () => {
    const progress: number[] = [];
    const url = `${CDN_ORIGIN}/cut/${MODEL}`;
    const bytes = await fetchAsset(url, 'the speech detector', { name: MODEL, onProgress: (p) => progress.push(p.loaded) });
    expect(await sha256(bytes)).to.equal(manifest[MODEL]!.sha256);
    const served = (await log()).filter((l) => l.path === `/cut/${MODEL}`);
    expect(served.map((l) => [l.status, l.range ?? 0])).to.deep.equal([[200, 0], [206, manifest[MODEL]!.size >> 1]]);
    // What crossed the wire is the file once, not one and a half times.
    expect(served.reduce((s, l) => s + l.bytes, 0)).to.equal(manifest[MODEL]!.size);
    expect(progress.at(-1)).to.equal(manifest[MODEL]!.size);
  });

  it('a later visit takes the verified copy from Cache Storage without the network', async () => {
    const url = `${CDN_ORIGIN}/${MODEL}`;
    const first = await fetchAsset(url, 'the speech detector', { name: MODEL });
    await new Promise((r) => setTimeout(r, 200)); // kept in the background
    expect(await (await caches.open(ASSET_CACHE)).keys()).to.have.length(1);
    await fetch(`${CDN_ORIGIN}/__reset`, { method: 'POST' });
    const again = await fetchAsset(url, 'the speech detector', { name: MODEL });
    expect(again.byteLength).to.equal(first.byteLength);
    expect(await sha256(again)).to.equal(manifest[MODEL]!.sha256);
    expect((await log()).filter((l) => l.path.endsWith(MODEL)), 'requests for the model').to.deep.equal([]);
  });

  it('the copy is kept even when the caller hands the bytes to a worker at once (transferred)', async () => {
    const url = `${CDN_ORIGIN}/${MODEL}`;
    const bytes = await fetchAsset(url, 'the speech detector', { name: MODEL });
    // What the VAD and TTS clients do: transfer the buffer, which detaches it here.
    const moved = structuredClone(bytes, { transfer: [bytes] });
    expect(bytes.byteLength).to.equal(0);
    await new Promise((r) => setTimeout(r, 200)); // kept in the background
    const kept = await (await caches.open(ASSET_CACHE)).keys();
    expect(kept.map((r) => r.url)).to.deep.equal([`${url}#sha256=${manifest[MODEL]!.sha256}`]);
    expect(moved.byteLength).to.equal(manifest[MODEL]!.size);
  });
});
