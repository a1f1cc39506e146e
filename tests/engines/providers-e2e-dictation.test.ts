// @fixture dictation.wav
import { expect } from '@esm-bundle/chai';
import { defineBuilt } from '../conversation/e2e.js';
import { PlaybackProbe } from '../conversation/playback-probe.js';
import { base, sent, tokenUrl } from './providers/providers.js';
import { gesture } from '../helpers/gesture.js';

/**
 * The BUILT element (dist/ on the loopback CDN: run `npm run build` first), the fake microphone
 * speaking, and the provider fakes as its servers: whole turns as a site would configure them.
 */
const TRANSCRIPT = 'remind me to call my mother tomorrow morning at nine';
type El = HTMLElement & { start(): Promise<void>; stop(): void; speak(t: string): Promise<void>; session: { playback: { queue: never } } };

async function listen(attrs: Record<string, string>) {
  await defineBuilt();
  const el = document.createElement('voice-assistant') as unknown as El;
  for (const [k, v] of Object.entries({ preload: 'none', ...attrs })) el.setAttribute(k, v);
  const log: { type: string; detail: any }[] = [];
  for (const type of ['voice-transcript', 'voice-response', 'voice-error', 'voice-state']) {
    el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  }
  document.body.append(el);
  await el.speak(''); // makes the session, so the probe is on its playback queue before any sound
  const probe = new PlaybackProbe(el.session.playback.queue);
  await gesture();
  await el.start();
  const until = async (what: string, cond: () => boolean, ms = 40_000) => {
    const end = performance.now() + ms;
    while (!cond()) {
      if (performance.now() > end) throw new Error(`no ${what} within ${ms} ms; saw ${log.map((e) => e.type).join(', ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return { el, log, probe, until, of: (t: string) => log.filter((e) => e.type === t).map((e) => e.detail), close: () => (probe.dispose(), el.stop(), el.remove()) };
}

describe('<voice-assistant> (built) with the providers people use', () => {
  const run = Date.now();

  it('dictation with default attributes against vLLM (ISO 639-1 only, unknown models refused) gives the transcript', async function () {
    this.timeout(60_000);
    const tag = `e2e-dictation-${run}`;
    const c = await listen({ mode: 'dictation', endpoint: base('vllm-whisper', tag) });
    try {
      await c.until('voice-transcript', () => c.of('voice-transcript').length > 0);
      expect(c.of('voice-transcript').map((t) => [t.text, t.engine, t.final])).to.deep.equal([[TRANSCRIPT, 'remote', true]]);
      expect(c.of('voice-error')).to.deep.equal([]);
      const calls = await sent('vllm-whisper', tag);
      expect(calls.map((l) => [l.route, l.status, l.fields.language, 'model' in l.fields])).to.deep.equal([['/v1/audio/transcriptions', 200, 'en', false]]);
    } finally {
      c.close();
    }
  });

  it('a spoken turn with speech recognition, chat and speech on three origins; the mp3 answer is heard', async function () {
    this.timeout(90_000);
    const tag = `e2e-three-${run}`;
    const c = await listen({
      'stt-endpoint': base('vllm-whisper', tag),
      'chat-endpoint': base('ollama', tag),
      'chat-model': 'llama3.2',
      'tts-endpoint': base('openai', tag, 'ignore-format'),
      'tts-model': 'tts-1',
      voice: 'alloy',
      'token-url': tokenUrl('openai', tag),
    });
    try {
      await c.until('the end of the answer', () => c.of('voice-state').some((s) => s.previous === 'speaking'), 60_000);
      console.log(`[providers e2e] audible ${Math.round(c.probe.audibleMs)} ms, peak RMS ${c.probe.peakRms.toFixed(3)}`);
      expect(c.of('voice-transcript').map((t) => t.text)).to.deep.equal([TRANSCRIPT]);
      expect(c.of('voice-response').at(-1)).to.deep.equal({ text: 'Sure. The lights are on now.', final: true });
      expect(c.of('voice-error')).to.deep.equal([]);
      // Two sentences, each answered with the 1.37 s mp3: heard, not silent.
      expect(c.probe.audibleMs).to.be.within(1500, 4000);
      expect(c.probe.peakRms).to.be.above(0.02);
      const speech = (await sent('openai', tag)).filter((l) => l.route === '/v1/audio/speech');
      expect(speech.map((l) => l.status)).to.deep.equal([200, 200]);
    } finally {
      c.close();
    }
  });
});
