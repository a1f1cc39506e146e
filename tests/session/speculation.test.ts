import { expect } from '@esm-bundle/chai';
import { VoiceAssistant } from '../../src/voice-assistant.js';
import type { VoiceSession } from '../../src/session/voice-session.js';
import type { ChatRequest } from '../../src/engines/chat/chat-engine.js';
import type { SttRequest } from '../../src/engines/stt/stt-engine.js';
import type { TtsRequest } from '../../src/engines/tts/tts-engine.js';
import { sessionOf } from '../helpers/session.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';

/**
 * Turn-taking (DESIGN.md section 2): the answer is prepared while the user pauses and plays only
 * when the silence reaches silence-ms; if the user goes on, it is dropped without a trace.
 * Engines are fakes that record what they were asked and whether they were aborted.
 */
const calls = { stt: [] as SttRequest[], chat: [] as ChatRequest[], tts: [] as TtsRequest[] };
VoiceAssistant.registerEngine('spec-stt', { kind: 'stt', create: () => ({ name: 'spec-stt', transcribe: async (r) => (calls.stt.push(r), { text: 'what are your opening hours' }) }) });
VoiceAssistant.registerEngine('spec-chat', {
  kind: 'chat',
  create: () => ({
    name: 'spec-chat',
    async *complete(r) {
      calls.chat.push(r);
      for (const piece of ['We open ', 'at nine. ', 'We close at six.']) {
        await new Promise((ok) => setTimeout(ok, 5));
        r.signal.throwIfAborted();
        yield piece;
      }
    },
  }),
});
VoiceAssistant.registerEngine('spec-tts', {
  kind: 'tts',
  create: () => ({
    name: 'spec-tts',
    async synthesize(r) {
      calls.tts.push(r);
      const rate = 24000;
      return { kind: 'pcm' as const, samples: Float32Array.from({ length: rate / 5 }, (_, i) => 0.4 * Math.sin(i / 7)), sampleRate: rate };
    },
  }),
});

const WATCHED = ['voice-state', 'voice-transcript', 'voice-response', 'voice-metrics', 'voice-error', 'voice-rate-limited'];

describe('speculative turns (session/conversation.ts, session/turn.ts)', () => {
  let el: VoiceAssistant;
  let session: VoiceSession;
  let probe: PlaybackProbe;
  let log: { type: string; detail: any }[];
  const utterance = new Float32Array(16000).fill(0.01);

  beforeEach(async () => {
    Object.assign(calls, { stt: [], chat: [], tts: [] });
    probe = new PlaybackProbe();
    el = document.createElement('voice-assistant');
    for (const [k, v] of Object.entries({ stt: 'spec-stt', tts: 'spec-tts', chat: 'spec-chat', 'rate-limit': 'none', preload: 'none' })) el.setAttribute(k, v);
    document.body.append(el);
    await el.updateComplete;
    session = sessionOf(el);
    log = [];
    for (const type of WATCHED) el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  });

  afterEach(() => {
    probe.dispose();
    el.remove();
  });

  it('prepares the answer in a pause without a trace: no event, no line, no state, no sound', async () => {
    session.conversation.speculate(utterance, { endedAt: performance.now() });
    await until(() => calls.tts.length >= 1, 3000, 'first sentence synthesised');
    await new Promise((ok) => setTimeout(ok, 200));
    expect(calls.stt).to.have.length(1);
    expect(calls.chat).to.have.length(1);
    expect(calls.tts.map((r) => r.text)[0]).to.equal('We open at nine.');
    expect(log).to.deep.equal([]);
    expect(el.lines).to.deep.equal([]);
    expect(probe.audibleMs).to.equal(0);
    expect(el.state).to.equal('idle');
  });

  it('drops it when the user goes on: every call aborted, nothing ever shown or played', async () => {
    session.conversation.speculate(utterance, { endedAt: performance.now() });
    await until(() => calls.tts.length >= 1, 3000, 'first sentence synthesised');
    session.conversation.dropSpeculation();
    expect(calls.chat[0]!.signal.aborted).to.equal(true);
    expect(calls.tts[0]!.signal.aborted).to.equal(true);
    await new Promise((ok) => setTimeout(ok, 400));
    expect(log).to.deep.equal([]);
    expect(el.lines).to.deep.equal([]);
    expect(probe.audibleMs).to.equal(0);
    expect(session.conversation.history).to.deep.equal([]);
  });

  it('commits it when the silence lasts: one transcription, the answer plays, metrics from the speech end', async () => {
    const speechEnd = performance.now();
    session.conversation.speculate(utterance, { endedAt: speechEnd });
    await until(() => calls.tts.length >= 1, 3000, 'first sentence synthesised');
    const committedAt = performance.now();
    await session.conversation.commit(utterance, { endedAt: speechEnd });
    expect(calls.stt).to.have.length(1);
    expect(calls.chat).to.have.length(1);
    expect(log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state)).to.deep.equal(['transcribing', 'thinking', 'speaking', 'idle']);
    expect(log.find((e) => e.type === 'voice-transcript')!.detail).to.include({ text: 'what are your opening hours', final: true });
    expect(log.filter((e) => e.type === 'voice-response' && e.detail.final).map((e) => e.detail.text)).to.deep.equal(['We open at nine. We close at six.']);
    expect(el.lines.map((l) => [l.who, l.text])).to.deep.equal([
      ['user', 'what are your opening hours'],
      ['assistant', 'We open at nine. We close at six.'],
    ]);
    expect(probe.firstSoundAt!).to.be.at.least(committedAt);
    expect(calls.tts.map((r) => r.text)).to.deep.equal(['We open at nine.', 'We close at six.']);
    // Two sentences of 0.2 s each.
    expect(probe.audibleMs).to.be.within(300, 700);
    const metrics = log.find((e) => e.type === 'voice-metrics')!.detail;
    // The transcript was ready before the turn ended; the wait for the end is endpointMs.
    expect(metrics.endpointMs).to.be.within(committedAt - speechEnd - 1, committedAt - speechEnd + 50);
    expect(metrics.speechEndToTranscriptMs).to.be.below(metrics.endpointMs);
    expect(metrics.speechEndToFirstAudioMs).to.be.at.least(metrics.endpointMs);
    expect(session.conversation.history.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
  });

  it('starts a new turn when the ended utterance is not the one prepared', async () => {
    session.conversation.speculate(utterance, { endedAt: performance.now() });
    await until(() => calls.chat.length >= 1, 3000, 'chat asked');
    const longer = new Float32Array(24000).fill(0.01);
    await session.conversation.commit(longer, { endedAt: performance.now() });
    expect(calls.stt.map((r) => r.audio.length)).to.deep.equal([16000, 24000]);
    expect(calls.chat[0]!.signal.aborted).to.equal(true);
    expect(log.filter((e) => e.type === 'voice-transcript')).to.have.length(1);
  });

  it('charges only committed turns to the rate limit: a dropped speculation gives its calls back', async () => {
    el.setAttribute('rate-limit', 'stt=1/min;chat=1/min;tts=100/min');
    await el.updateComplete;
    session.conversation.speculate(utterance, { endedAt: performance.now() });
    await until(() => calls.tts.length >= 1, 3000, 'first sentence synthesised');
    session.conversation.dropSpeculation();
    // The refunds are asynchronous (IndexedDB): give them a moment.
    await new Promise((ok) => setTimeout(ok, 200));
    await session.conversation.commit(utterance, { endedAt: performance.now() });
    expect(log.filter((e) => e.type === 'voice-rate-limited')).to.deep.equal([]);
    expect(log.filter((e) => e.type === 'voice-response' && e.detail.final)).to.have.length(1);
  });
});
