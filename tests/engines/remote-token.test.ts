import { expect } from '@esm-bundle/chai';
import { createEngineContext } from '../../src/engines/create-engine-context.js';
import { TokenClient } from '../../src/engines/remote/token-client.js';
import { RemoteStt } from '../../src/engines/stt/remote-stt.js';
import { RemoteTts } from '../../src/engines/tts/remote-tts.js';
import { resolveConfig } from '../../src/config/config.js';
import type { VoiceConfig } from '../../src/config/config.js';

let FAKE = '';
const stats = async () => (await (await fetch(`${FAKE}/stats`)).json()) as { tokens: number; calls: { path: string; auth: string; status: number }[] };

function context(attrs: Record<string, string>) {
  const config: VoiceConfig = resolveConfig(attrs).config;
  return createEngineContext({ config, assetFolder: location.origin + '/', showProgress: () => {}, debugLog: () => {} });
}

describe('remote engine tokens (loopback fake API)', () => {
  before(async () => {
    FAKE = ((await (await fetch('/__fake-api')).json()) as { url: string }).url;
  });
  beforeEach(() => fetch(`${FAKE}/reset`, { method: 'POST' }));

  it('fetches one token for concurrent calls and sends it as a bearer', async () => {
    const ctx = context({ endpoint: `${FAKE}/v1`, 'token-url': `${FAKE}/token` });
    const tts = new RemoteTts(ctx);
    const signal = new AbortController().signal;
    const [a, b] = await Promise.all([
      tts.synthesize({ text: 'one', language: 'en-US', signal }),
      tts.synthesize({ text: 'two', language: 'en-US', signal }),
    ]);
    expect(a.sampleRate).to.equal(16000);
    expect(a.samples.length).to.equal(4000);
    expect(b.samples.length).to.equal(4000);
    const s = await stats();
    expect(s.tokens).to.equal(1);
    expect(s.calls.map((c) => [c.auth, c.status])).to.deep.equal([
      ['Bearer tok-1', 200],
      ['Bearer tok-1', 200],
    ]);
  });

  it('gets a new token and resends once when the server answers 401', async () => {
    const ctx = context({ endpoint: `${FAKE}/v1`, 'token-url': `${FAKE}/token` });
    const stt = new RemoteStt(ctx);
    const signal = new AbortController().signal;
    const audio = new Float32Array(1600);
    expect((await stt.transcribe({ audio, sampleRate: 16000, language: 'en-US', signal })).text).to.equal('fake transcript');
    await fetch(`${FAKE}/revoke`, { method: 'POST' });
    expect((await stt.transcribe({ audio, sampleRate: 16000, language: 'en-US', signal })).text).to.equal('fake transcript');
    const s = await stats();
    expect(s.tokens).to.equal(2);
    expect(s.calls.map((c) => `${c.auth} ${c.status}`)).to.deep.equal(['Bearer tok-1 200', 'Bearer tok-1 401', 'Bearer tok-2 200']);
  });

  it('refreshes a token before it expires, not after', async () => {
    let now = 1_000_000;
    const tokens = new TokenClient(`${FAKE}/token?ttl=60`, { now: () => now });
    expect(await tokens.get()).to.equal('tok-1');
    now += 40_000; // 60 s token, refreshed within its last 12 s (a fifth of its life)
    expect(await tokens.get()).to.equal('tok-1');
    now += 9_000;
    expect(await tokens.get()).to.equal('tok-2');
    expect((await stats()).tokens).to.equal(2);
  });

  it('never stores the token in web storage or the HTTP cache', async () => {
    const tokens = new TokenClient(`${FAKE}/token`);
    const t = await tokens.get();
    const stored = [...Object.values({ ...localStorage }), ...Object.values({ ...sessionStorage })].join(' ');
    expect(stored).not.to.contain(t);
    const cached = await caches.keys();
    expect(cached).to.deep.equal([]);
  });

  it('reports a clear error when there is no valid token to be had', async () => {
    const ctx = context({ endpoint: `${FAKE}/v1` }); // no token-url: the fake API refuses
    const err = await new RemoteTts(ctx)
      .synthesize({ text: 'x', language: 'en-US', signal: new AbortController().signal })
      .then(() => null, (e: Error & { code?: string }) => e);
    expect(err?.code).to.equal('engine-failed');
    expect(err?.message).to.match(/HTTP 401: The token is not valid/);
  });
});

describe('remote engine against the reference server', () => {
  let base = '';
  before(async () => {
    base = ((await (await fetch('/__reference-server')).json()) as { url: string }).url;
  });

  it('synthesises a sentence to decoded PCM and transcribes it back', async function () {
    this.timeout(30000);
    const ctx = context({ endpoint: `${base}/v1`, 'token-url': `${base}/token`, voice: 'kal16' });
    const signal = new AbortController().signal;
    const speech = await new RemoteTts(ctx).synthesize({ text: 'We are open from nine in the morning.', language: 'en-US', signal });
    expect(speech.sampleRate).to.be.oneOf([8000, 16000, 22050, 24000, 44100, 48000]);
    const seconds = speech.samples.length / speech.sampleRate;
    expect(seconds).to.be.within(1, 5);
    const rms = Math.sqrt(speech.samples.reduce((s, x) => s + x * x, 0) / speech.samples.length);
    expect(rms).to.be.above(0.01);
    // Resample to 16 kHz with the browser, then transcribe it with the real PocketSphinx.
    const offline = new OfflineAudioContext(1, Math.ceil(seconds * 16000), 16000);
    const buffer = new AudioBuffer({ length: speech.samples.length, sampleRate: speech.sampleRate, numberOfChannels: 1 });
    buffer.copyToChannel(speech.samples as Float32Array<ArrayBuffer>, 0);
    const src = new AudioBufferSourceNode(offline, { buffer });
    src.connect(offline.destination);
    src.start();
    const audio = (await offline.startRendering()).getChannelData(0);
    const { text } = await new RemoteStt(ctx).transcribe({ audio, sampleRate: 16000, language: 'en-US', signal });
    console.log(`reference server round trip: "${text}"`);
    expect(text.toLowerCase()).to.match(/open|nine|morning/);
  });

  it('is refused without a token (no token-url)', async () => {
    const ctx = context({ endpoint: `${base}/v1` });
    const err = await new RemoteTts(ctx)
      .synthesize({ text: 'x', language: 'en-US', signal: new AbortController().signal })
      .then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/HTTP 401/);
  });
});
