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

  it("a realtime turn against OpenAI's Realtime API: model and ISO 639-1 language in session.update, delta-only partials shown whole, the answer heard", async function () {
    this.timeout(90_000);
    const tag = `e2e-realtime-${run}`;
    const c = await listen({
      transport: 'realtime',
      endpoint: base('openai', tag),
      'token-url': tokenUrl('openai', tag),
      'chat-model': 'gpt-realtime',
      'stt-model': 'gpt-4o-transcribe',
    });
    try {
      await c.until('the end of the answer', () => c.of('voice-state').some((s) => s.previous === 'speaking'), 60_000);
      const [session] = (await sent('openai', tag)).filter((l) => l.route === '/v1/realtime');
      const fields = session!.fields as { model: string; session: any; events: string[] };
      console.log(`[providers realtime] events ${fields.events.filter((e) => e !== 'input_audio_buffer.append').join(', ')}; audible ${Math.round(c.probe.audibleMs)} ms`);
      // OpenAI sends each partial as the new words only: the widget shows the transcript so far.
      const words = TRANSCRIPT.split(' ');
      expect(c.of('voice-transcript').filter((t) => !t.final).map((t) => t.text)).to.deep.equal(words.map((_, i) => words.slice(0, i + 1).join(' ')));
      expect(c.of('voice-transcript').filter((t) => t.final).map((t) => [t.text, t.engine])).to.deep.equal([[TRANSCRIPT, 'realtime']]);
      expect(c.of('voice-response').at(-1)).to.deep.equal({ text: 'Sure. The lights are on now.', final: true });
      expect(c.of('voice-error')).to.deep.equal([]);
      expect(c.probe.audibleMs).to.be.within(400, 800); // the 0.6 s answer tone
      expect(session!.auth).to.match(/^tok-\d+$/);
      expect(fields.model).to.equal('gpt-realtime');
      expect(fields.session.audio.input.transcription).to.deep.equal({ model: 'gpt-4o-transcribe', language: 'en' });
      expect(fields.session.audio.input.turn_detection).to.equal(null);
      expect(fields.events.filter((e) => e !== 'input_audio_buffer.append')).to.deep.equal(['session.update', 'input_audio_buffer.clear', 'input_audio_buffer.commit', 'response.create']);
      expect(fields.events.filter((e) => e === 'input_audio_buffer.append').length, 'audio appended').to.be.greaterThan(20);
    } finally {
      c.close();
    }
  });

  it('a realtime turn whose final transcript comes after the answer (OpenAI transcribes beside the response): still told, shown and kept', async function () {
    this.timeout(90_000);
    const tag = `e2e-realtime-late-${run}`;
    const c = await listen({ transport: 'realtime', endpoint: base('openai', tag, 'late-transcript'), 'token-url': tokenUrl('openai', tag), 'chat-model': 'gpt-realtime', 'stt-model': 'gpt-4o-transcribe' });
    try {
      await c.until('the final transcript', () => c.of('voice-transcript').some((t) => t.final), 60_000);
      const order = c.log.filter((e) => (e.type === 'voice-transcript' && e.detail.final) || (e.type === 'voice-response' && e.detail.final)).map((e) => e.type);
      expect(order, 'the answer ended before the transcript came').to.deep.equal(['voice-response', 'voice-transcript']);
      expect(c.of('voice-transcript').filter((t) => t.final).map((t) => [t.text, t.engine])).to.deep.equal([[TRANSCRIPT, 'realtime']]);
      expect(c.of('voice-error')).to.deep.equal([]);
      await (c.el as unknown as { updateComplete: Promise<unknown> }).updateComplete;
      const lines = [...c.el.shadowRoot!.querySelectorAll('.transcript li')].map((li) => `${li.className}: ${li.textContent}`);
      expect(lines).to.deep.equal([`user: ${TRANSCRIPT}`, 'assistant: Sure. The lights are on now.']);
    } finally {
      c.close();
    }
  });
});
