import { expect } from '@esm-bundle/chai';
import { backup, fastResilience, mount, type Mounted } from '../resilience/harness.js';
import { faultEndpoint, resetFaults } from '../resilience/fault-origin.js';
import { PlaybackProbe } from '../conversation/playback-probe.js';
import { base, sent, tokenUrl } from './providers/providers.js';

/**
 * Whole turns through the element (from source; utterances fed to its session) against the
 * provider fakes: each capability on its own origin, answers that think or end without [DONE],
 * an mp3 answer heard, and a server's own 429 told to the user like the client-side budget.
 */
const TRANSCRIPT = 'remind me to call my mother tomorrow morning at nine';
const ANSWER = 'Sure. The lights are on now.';
const notes = (m: Mounted) => (m.el as unknown as { lines: { who: string; text: string }[] }).lines.filter((l) => l.who === 'note').map((l) => l.text);

describe('<voice-assistant> turns against provider fakes', () => {
  let m: Mounted;
  const run = Date.now();
  beforeEach(() => fastResilience());
  afterEach(() => m?.remove());

  it('stt-endpoint, chat-endpoint and tts-endpoint on three origins complete a turn, the token sent to each', async () => {
    const tag = `three-${run}`;
    m = await mount({
      'stt-endpoint': base('vllm-whisper', tag),
      'chat-endpoint': base('ollama', tag),
      'chat-model': 'llama3.2',
      'tts-endpoint': base('speaches', tag),
      'tts-model': 'speaches-ai/Kokoro-82M-v1.0-ONNX',
      voice: 'af_heart',
      'token-url': tokenUrl('openai', tag),
    });
    // Defaults follow the per-capability endpoints (DESIGN.md: `remote local` if `stt-endpoint` is set, ...).
    expect([m.el.stt, m.el.tts, m.el.chat]).to.deep.equal([undefined, undefined, undefined]);
    await m.utter();
    expect(m.of('voice-transcript').map((t) => [t.text, t.engine])).to.deep.equal([[TRANSCRIPT, 'remote']]);
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: ANSWER, final: true });
    expect(m.of('voice-error')).to.deep.equal([]);
    expect(m.failovers).to.deep.equal([]);
    const calls = [...(await sent('vllm-whisper', tag)), ...(await sent('ollama', tag)), ...(await sent('speaches', tag))];
    expect(calls.map((c) => [c.route, c.status])).to.deep.equal([
      ['/v1/audio/transcriptions', 200],
      ['/v1/chat/completions', 200],
      ['/v1/audio/speech', 200],
      ['/v1/audio/speech', 200],
    ]);
    expect(new Set(calls.map((c) => c.auth)).size).to.equal(1);
    expect(calls[0]!.auth).to.match(/^Bearer tok-\d+$/);
  });

  it('each capability has its own circuit breaker: a failing stt-endpoint opens only speech recognition\'s', async () => {
    await resetFaults();
    fastResilience({ cooldownMs: 60_000 });
    const tag = `breakers-${run}`;
    m = await mount({
      'stt-endpoint': faultEndpoint('500', tag),
      stt: 'remote backup-stt',
      'chat-endpoint': base('vllm-chat', tag),
      'tts-endpoint': base('openai', tag),
      'tts-model': 'tts-1',
      voice: 'alloy',
      'token-url': tokenUrl('openai', tag),
    });
    for (let i = 0; i < 3; i++) await m.utter();
    expect(m.of('voice-circuit')).to.deep.equal([{ engine: 'remote', operation: 'stt', state: 'open' }]);
    expect(backup.stt).to.equal(3);
    expect(m.of('voice-response').filter((r) => r.final).map((r) => r.text)).to.deep.equal([ANSWER, ANSWER, ANSWER]);
    expect(backup.tts).to.equal(0);
  });

  it('a reasoning model that thinks longer than the chat timeout: its answer arrives (the timeout covers the response head)', async () => {
    // fastResilience: chat timeout 1.5 s, stall guard 0.8 s; the fake thinks for 3 s in 0.5 s steps.
    const tag = `reason-${run}`;
    m = await mount({ 'chat-endpoint': base('vllm-chat', tag, 'reasoning-3'), stt: 'backup-stt', tts: 'backup-tts' });
    const t0 = performance.now();
    await m.utter();
    expect(performance.now() - t0).to.be.above(3000);
    expect(m.of('voice-error')).to.deep.equal([]);
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: ANSWER, final: true });
  });

  it('a stream that stops flowing after its first piece is given up by the stall guard, what came kept', async () => {
    const tag = `stall-${run}`;
    m = await mount({ 'chat-endpoint': base('vllm-chat', tag, 'stall'), stt: 'backup-stt', tts: 'backup-tts' });
    const t0 = performance.now();
    await m.utter();
    expect(performance.now() - t0).to.be.within(700, 3000);
    expect(m.of('voice-error').map((e) => [e.code, e.message])).to.deep.equal([['timeout', 'The answer stopped arriving for 800 ms.']]);
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: 'Sure.', final: true });
  });

  it('an answer that ends at finish_reason without data: [DONE] completes without an error', async () => {
    const tag = `nodone-${run}`;
    m = await mount({ 'chat-endpoint': base('ollama', tag, 'no-done'), 'chat-model': 'llama3.2', stt: 'backup-stt', tts: 'backup-tts' });
    await m.utter();
    expect(m.of('voice-error')).to.deep.equal([]);
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: ANSWER, final: true });
    expect(backup.ttsTexts).to.deep.equal(['Sure.', 'The lights are on now.']);
  });

  it('an mp3 answer (response_format ignored) is played', async () => {
    const probe = new PlaybackProbe();
    try {
      const tag = `mp3-${run}`;
      m = await mount({ 'tts-endpoint': base('openai', tag, 'ignore-format'), 'tts-model': 'tts-1', voice: 'alloy', 'token-url': tokenUrl('openai', tag), chat: 'none' });
      await m.conversation.speak('The lights are on now.');
      await new Promise((r) => setTimeout(r, 200));
      expect(m.of('voice-error')).to.deep.equal([]);
      expect(m.failovers).to.deep.equal([]);
      expect(probe.audibleMs).to.be.within(700, 1600);
      expect(probe.peakRms).to.be.above(0.02);
      const [speech] = (await sent('openai', tag)).filter((c) => c.route === '/v1/audio/speech');
      expect(speech!.fields.response_format).to.equal('wav');
    } finally {
      probe.dispose();
    }
  });

  it('a server\'s 429 with Retry-After: the user is told when to speak again, as for the client-side budget', async () => {
    const tag = `429-${run}`;
    m = await mount({ mode: 'dictation', 'stt-endpoint': base('openai', tag, '429-20'), 'stt-model': 'whisper-1', stt: 'remote' });
    await m.utter();
    expect(m.of('voice-rate-limited')).to.deep.equal([{ operation: 'stt', retryAfterMs: 20_000 }]);
    expect(m.of('voice-error').map((e) => e.code)).to.deep.equal(['rate-limited']);
    expect(notes(m)).to.deep.equal(['Speech recognition: too many requests just now; you can speak again in 20 s.']);
    expect((await sent('openai', tag)).length).to.equal(1);
  });

  it('the token URL\'s 429 with Retry-After reaches the user the same way', async () => {
    const tag = `tok429-${run}`;
    m = await mount({ mode: 'dictation', endpoint: base('vllm-whisper', tag), 'token-url': tokenUrl('openai', tag, 'token429-30'), stt: 'remote' });
    await m.utter();
    expect(m.of('voice-rate-limited')).to.deep.equal([{ operation: 'stt', retryAfterMs: 30_000 }]);
    expect(notes(m)).to.deep.equal(['Speech recognition: too many requests just now; you can speak again in 30 s.']);
    expect(await sent('vllm-whisper', tag)).to.deep.equal([]);
  });
});
