import { expect } from '@esm-bundle/chai';
import { ASSET_CACHE } from '../../src/internal/verified-asset.js';
import { FLITE_FILES, FLITE_VOICES, LocalTts } from '../../src/engines/tts/local-tts.js';
import { VoiceAssistantError } from '../../src/errors.js';
import { fetched, localContext, rms } from './local-engines/context.js';

// Engine-level tests of `tts="local"` in real Chromium: the class from source, its worker and
// flite.wasm from the built dist/ (`npm run build`).

const signal = () => new AbortController().signal;
const say = (tts: LocalTts, text: string, voice?: string) => tts.synthesize({ text, voice, language: 'en-US', signal: signal() });

describe('LocalTts (Flite in a worker)', () => {
  // A first visit: nothing kept in Cache Storage by another test file (the download is under test).
  before(() => caches.delete(ASSET_CACHE));
  const engines: LocalTts[] = [];
  const make = (...args: Parameters<typeof localContext>) => {
    const c = localContext(...args);
    const tts = new LocalTts(c.ctx);
    engines.push(tts);
    return { ...c, tts };
  };
  after(() => engines.forEach((e) => e.dispose()));

  it('fetches nothing until the first sentence', async () => {
    make();
    await new Promise((r) => setTimeout(r, 300));
    expect(fetched(FLITE_FILES.wasm)).to.have.length(0);
    expect(fetched(FLITE_FILES.worker)).to.have.length(0);
  });

  it('speaks a sentence as mono PCM whose length fits the text and whose energy is not zero', async () => {
    const { tts, progress } = make();
    const text = 'The quick brown fox jumps over the lazy dog.';
    const audio = await say(tts, text);
    expect(audio.kind).to.equal('pcm');
    expect(audio.sampleRate).to.equal(16000);
    const seconds = audio.samples.length / audio.sampleRate;
    const words = text.split(' ').length;
    expect(seconds, 'seconds for 9 words').to.be.within(0.25 * words, 0.6 * words);
    expect(rms(audio.samples)).to.be.greaterThan(0.02);
    expect(Math.max(...audio.samples.map(Math.abs))).to.be.at.most(1);
    // The download was reported while it streamed in, then cleared.
    const reports = progress.filter((p) => p);
    expect(reports.length).to.be.greaterThan(1);
    expect(reports.at(-1)!.loaded).to.equal(reports.at(-1)!.total);
    expect(reports.at(-1)!.total).to.be.greaterThan(20e6);
    expect(progress.at(-1)).to.equal(null);
    expect(fetched(FLITE_FILES.wasm)).to.have.length(1);
  });

  it('reuses its compiled module: later sentences download nothing and are fast', async () => {
    const { tts } = make();
    await say(tts, 'Warm up.');
    const before = fetched(FLITE_FILES.wasm).length;
    const t0 = performance.now();
    const audio = await say(tts, 'This sentence is spoken by the same worker.');
    const ms = performance.now() - t0;
    expect(fetched(FLITE_FILES.wasm).length).to.equal(before);
    // Generous (a shared 2-core machine): synthesis is ~20 ms per second of speech here.
    expect(ms).to.be.lessThan(audio.samples.length / audio.sampleRate * 1000);
  });

  it('a second engine (a second activation) takes flite.wasm from Cache Storage: no request at all', async () => {
    const before = fetched(FLITE_FILES.wasm).length;
    const { tts } = make();
    const audio = await say(tts, 'Again.');
    expect(rms(audio.samples)).to.be.greaterThan(0.02);
    expect(fetched(FLITE_FILES.wasm).length, 'requests for flite.wasm').to.equal(before);
    const kept = (await (await caches.open(ASSET_CACHE)).keys()).map((r) => new URL(r.url).pathname);
    expect(kept.filter((p) => p.endsWith('/flite.wasm'))).to.have.length(1);
  });

  it('`voice` picks among the built-in voices, and an unknown name falls back with a note', async () => {
    const { tts, notes } = make();
    const kal = await say(tts, 'Hello there.', 'kal');
    const slt = await say(tts, 'Hello there.', 'slt');
    const awb = await say(tts, 'Hello there.', 'awb');
    const kal16 = await say(tts, 'Hello there.', 'kal16');
    expect(kal.sampleRate, 'kal is the 8 kHz diphone voice').to.equal(8000);
    expect(slt.sampleRate).to.equal(16000);
    expect(awb.samples.length).to.not.equal(slt.samples.length);
    expect(kal16.samples.length).to.not.equal(slt.samples.length);
    const fallback = await say(tts, 'Hello there.', 'alloy');
    // kal16 is the default: several times faster to synthesise than slt, and the voice the
    // recognisers here hear best (ENVIRONMENT.md: PocketSphinx WER 5% on kal16, 13% on slt)
    expect(fallback.samples.length).to.equal(kal16.samples.length);
    expect(notes.flat().join(' ')).to.contain('"alloy" is not a Flite voice');
    expect(FLITE_VOICES[0]).to.equal('kal16');
  });

  it('rejects at once when aborted', async () => {
    const { tts } = make();
    await say(tts, 'Ready.');
    const ac = new AbortController();
    const p = tts.synthesize({ text: 'This will be cut off.', language: 'en-US', signal: ac.signal });
    ac.abort(new DOMException('stopped', 'AbortError'));
    const error = await p.then(() => null, (e: unknown) => e);
    expect((error as DOMException).name).to.equal('AbortError');
  });

  it('fails with a recoverable asset-load error when its files are missing, and tries again next time', async () => {
    const { tts } = make(new URL('/no-such-folder/', location.href).href);
    const error = await say(tts, 'Hello.').then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(VoiceAssistantError);
    expect((error as VoiceAssistantError).code).to.equal('asset-load');
    expect((error as VoiceAssistantError).recoverable).to.equal(true);
    const before = fetched('/no-such-folder/flite.wasm').length;
    await say(tts, 'Hello.').catch(() => {});
    expect(fetched('/no-such-folder/flite.wasm').length).to.be.greaterThan(before);
  });
});
