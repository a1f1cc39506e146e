import { expect } from '@esm-bundle/chai';
import { VoiceAssistant } from '../../src/voice-assistant.js';
import type { SttRequest } from '../../src/engines/stt/stt-engine.js';
import type { TtsRequest } from '../../src/engines/tts/tts-engine.js';
import { captureWarnings, record } from '../helpers/element.js';
import { sessionOf } from '../helpers/session.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';

// Documents are served by tests/fakes/config-documents.mjs on the runner's own origin, with
// ETags; each test uses its own URL, since the last good document is kept per URL.
let serial = 0;
const newUrl = () => `/__config/t${Date.now().toString(36)}${serial++}`;
const serve = (url: string, body: unknown, status = 200) =>
  fetch(url, { method: 'PUT', body: JSON.stringify({ status, body: typeof body === 'string' ? body : JSON.stringify(body) }) });
const hits = async (url: string) => (await (await fetch(`${url}?hits`)).json()) as { ifNoneMatch: string | null; status: number }[];

const live: VoiceAssistant[] = [];
/** Mounts an element and waits for its configuration document to be applied (`voice-variant`). */
async function mountWith(attrs: Record<string, string>): Promise<VoiceAssistant & { variants: Record<string, string>[] }> {
  const el = document.createElement('voice-assistant') as VoiceAssistant & { variants: Record<string, string>[] };
  el.variants = [];
  el.addEventListener('voice-variant', (e) => el.variants.push(e.detail.assignments));
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  live.push(el);
  await el.updateComplete;
  if (attrs['config-url']) await until(() => el.variants.length > 0, 8000, 'config applied');
  return el;
}
/** Polls an async condition (the config server's request log). */
async function eventually(cond: () => Promise<boolean>, ms: number, what: string) {
  const end = performance.now() + ms;
  while (!(await cond())) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const refresh = () => document.dispatchEvent(new Event('visibilitychange'));

afterEach(() => {
  for (const el of live.splice(0)) el.remove();
  localStorage.removeItem('voice-flags');
});

describe('config-url: remote configuration', () => {
  it('layers the tag over the environment section over defaults over the built-in defaults', async () => {
    const url = newUrl();
    await serve(url, {
      defaults: { 'silence-ms': '600', 'vad-threshold': '0.6' },
      environments: { staging: { attributes: { 'silence-ms': '700' } } },
    });
    const staging = await mountWith({ 'config-url': url, environment: 'staging' });
    expect(staging.config.silenceMs).to.equal(700);
    expect(staging.config.vadThreshold).to.equal(0.6);
    const tagWins = await mountWith({ 'config-url': url, environment: 'staging', 'silence-ms': '900' });
    expect(tagWins.config.silenceMs).to.equal(900);
    expect(tagWins.config.vadThreshold).to.equal(0.6);
    const production = await mountWith({ 'config-url': url });
    expect(production.config.environment).to.equal('production');
    expect(production.config.silenceMs).to.equal(600);
    const none = await mountWith({});
    expect(none.config.silenceMs).to.equal(500);
    // The document is not written into the page's markup: the property shows the tag.
    expect(staging.getAttribute('silence-ms')).to.equal(null);
  });

  it('chooses the environment by hostname pattern when the tag names none', async () => {
    const url = newUrl();
    const host = location.hostname;
    await serve(url, {
      hosts: { [`*.${host}`]: 'staging', [host]: 'development' },
      environments: { development: { attributes: { 'silence-ms': '800' } } },
    });
    const el = await mountWith({ 'config-url': url });
    expect(el.config.environment).to.equal('development');
    expect(el.config.silenceMs).to.equal(800);
  });

  const broken: [string, string, RegExp][] = [
    ['a schema error', JSON.stringify({ toggles: { 'barge-in': { rollout: 130 } } }), /schema.*rollout/],
    ['a wrong type', JSON.stringify({ defaults: { 'silence-ms': 600 } }), /schema.*silence-ms/],
    ['truncated JSON', '{"defaults": {"silence-ms": "6', /not JSON/],
  ];
  for (const [what, body, says] of broken) {
    it(`keeps the last good document on ${what}, with one warning`, async () => {
      const url = newUrl();
      await serve(url, { defaults: { 'silence-ms': '650' } });
      const first = await mountWith({ 'config-url': url });
      expect(first.config.silenceMs).to.equal(650);
      first.remove(); // (a refresh reaches every element on the page; each warns once)
      await serve(url, body);
      const w = captureWarnings();
      try {
        const el = await mountWith({ 'config-url': url });
        const errors = record<{ code: string }>(el, 'voice-error');
        refresh(); // a second fetch of the same bad document: still one warning
        await eventually(async () => (await hits(url)).length >= 3, 5000, 'second fetch');
        await new Promise((r) => setTimeout(r, 100));
        expect(el.config.silenceMs).to.equal(650);
        expect(w.warnings, w.warnings.join('\n')).to.have.length(1);
        expect(w.warnings[0]).to.match(says).and.to.contain('last valid document');
        expect(errors.events.map((e) => e.detail.code)).to.deep.equal([]); // the one voice-error fired before `record`
      } finally {
        w.restore();
      }
    });
  }

  it('reports a bad document as one invalid-config voice-error and uses the defaults when none was ever good', async () => {
    const url = newUrl();
    await serve(url, '{"toggles": []}');
    const w = captureWarnings();
    const el = document.createElement('voice-assistant') as VoiceAssistant;
    const errors = record<{ code: string; message: string }>(el, 'voice-error');
    try {
      el.setAttribute('config-url', url);
      document.body.append(el);
      live.push(el);
      await until(() => errors.events.length > 0, 5000, 'voice-error');
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      w.restore();
    }
    expect(errors.events.map((e) => e.detail.code)).to.deep.equal(['invalid-config']);
    expect(errors.events[0]!.detail.message).to.contain('using the defaults');
    expect(el.config.silenceMs).to.equal(500);
    expect(el.state).to.equal('idle');
  });

  it('starts from the kept document when the config server is down, without a warning', async () => {
    const url = newUrl();
    await serve(url, { defaults: { 'silence-ms': '1200' } });
    await mountWith({ 'config-url': url });
    await serve(url, 'down', 503);
    const w = captureWarnings();
    try {
      const el = await mountWith({ 'config-url': url });
      expect(el.config.silenceMs).to.equal(1200);
      expect(w.warnings).to.deep.equal([]);
    } finally {
      w.restore();
    }
    expect((await hits(url)).map((h) => h.status)).to.deep.equal([200, 503]);
  });

  it('revalidates with If-None-Match when the page becomes visible and applies a changed document without a reload', async () => {
    const url = newUrl();
    await serve(url, { defaults: { 'silence-ms': '600' } });
    const el = await mountWith({ 'config-url': url });
    refresh();
    await eventually(async () => (await hits(url)).length === 2, 5000, 'revalidation');
    await serve(url, { defaults: { 'silence-ms': '750' } });
    refresh();
    await until(() => el.config.silenceMs === 750, 5000, 'new document applied');
    const seen = await hits(url);
    expect(seen.map((h) => h.status)).to.deep.equal([200, 304, 200]);
    expect(seen[0]!.ifNoneMatch).to.equal(null);
    expect(seen[1]!.ifNoneMatch).to.match(/^"[0-9a-f]{16}"$/);
    expect(seen[2]!.ifNoneMatch).to.equal(seen[1]!.ifNoneMatch);
    expect(el.silenceMs).to.equal(500); // the tag's own property is untouched
  });
});

describe('config-url: feature toggles', () => {
  it('sets the local fallback and the voice from toggles, and fires voice-variant with the assignments', async () => {
    const url = newUrl();
    await serve(url, { toggles: { 'local-fallback': { rollout: 0 }, 'tts-voice': { variants: { slt: 1 } }, 'barge-in': { rollout: 100 } } });
    const el = await mountWith({ 'config-url': url, endpoint: 'http://127.0.0.1:9/v1' });
    expect(el.variants).to.deep.equal([{ 'local-fallback': 'off', 'tts-voice': 'slt', 'barge-in': 'on' }]);
    expect(el.config.stt).to.deep.equal(['remote']);
    expect(el.config.tts).to.deep.equal(['remote']);
    expect(el.config.voice).to.equal('slt');
    const tagged = await mountWith({ 'config-url': url, endpoint: 'http://127.0.0.1:9/v1', stt: 'remote local', voice: 'kal16' });
    expect(tagged.config.stt).to.deep.equal(['remote', 'local']);
    expect(tagged.config.tts).to.deep.equal(['remote']);
    expect(tagged.config.voice).to.equal('kal16');
  });

  it('honours developer overrides (voice-flags) outside production only', async () => {
    const url = newUrl();
    await serve(url, { toggles: { 'barge-in': { rollout: 100 } } });
    localStorage.setItem('voice-flags', 'barge-in=off');
    const prod = await mountWith({ 'config-url': url, environment: 'production' });
    expect(prod.variants[0]).to.deep.equal({ 'barge-in': 'on' });
    expect(prod.config.bargeIn).to.equal(true);
    const dev = await mountWith({ 'config-url': url, environment: 'development' });
    expect(dev.variants[0]).to.deep.equal({ 'barge-in': 'off' });
    expect(dev.config.bargeIn).to.equal(false);
  });

  const fake = { tts: [] as TtsRequest[] };
  VoiceAssistant.registerEngine('cfg-stt', () => ({ name: 'cfg-stt', transcribe: async (_r: SttRequest) => ({ text: 'tell me a story' }) }));
  VoiceAssistant.registerEngine('cfg-tone-tts', () => ({
    name: 'cfg-tone-tts',
    async synthesize(r: TtsRequest) {
      fake.tts.push(r);
      const rate = 24000;
      return { kind: 'pcm' as const, samples: Float32Array.from({ length: rate / 2 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * i) / rate)), sampleRate: rate };
    },
  }));

  for (const rollout of [0, 100]) {
    it(`a barge-in toggle at ${rollout}% ${rollout ? 'keeps' : 'switches off'} barge-in in the session`, async () => {
      const url = newUrl();
      await serve(url, { toggles: { 'barge-in': { rollout } } });
      const el = await mountWith({ 'config-url': url, stt: 'cfg-stt', tts: 'cfg-tone-tts', chat: 'none', 'rate-limit': 'none' });
      const probe = new PlaybackProbe();
      try {
        const session = sessionOf(el);
        el.responder = () => 'Once upon a time. There was a widget. It listened. It spoke. The end.';
        const turn = session.conversation.handleUtterance(new Float32Array(16000));
        await until(() => probe.audibleNow, 5000, 'first audio');
        const stopped = session.bargeIn.confirm(performance.now());
        expect(session.conversation.speaking).to.equal(rollout === 0);
        if (rollout === 0) expect(stopped).to.equal(undefined);
        else expect(stopped).to.be.a('number');
        el.stop();
        await turn.catch(() => undefined);
      } finally {
        probe.dispose();
      }
    });
  }
});
