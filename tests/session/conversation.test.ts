import { expect } from '@esm-bundle/chai';
import { VoiceAssistant } from '../../src/voice-assistant.js';
import type { VoiceSession } from '../../src/session/voice-session.js';
import { sessionOf } from '../helpers/session.js';
import { audioContextUsers } from '../../src/audio/shared-audio-context.js';
import type { SttRequest } from '../../src/engines/stt/stt-engine.js';
import type { TtsRequest } from '../../src/engines/tts/tts-engine.js';
import { VoiceAssistantError } from '../../src/errors.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';

/** Fake engines: the STT says what `heard` holds; the TTS gives 0.25 s of tone per sentence. */
const fake = { heard: 'hello', sttFails: 0, stt: [] as SttRequest[], tts: [] as TtsRequest[], ttsDelayMs: 20 };
VoiceAssistant.registerEngine('script-stt', () => ({
  name: 'script-stt',
  async transcribe(r: SttRequest) {
    fake.stt.push(r);
    if (fake.sttFails-- > 0) throw new VoiceAssistantError('engine-failed', 'script-stt is down', true);
    return { text: fake.heard };
  },
}));
VoiceAssistant.registerEngine('tone-tts', () => ({
  name: 'tone-tts',
  async synthesize(r: TtsRequest) {
    fake.tts.push(r);
    await new Promise((ok) => setTimeout(ok, fake.ttsDelayMs));
    r.signal.throwIfAborted();
    const rate = 24000;
    const samples = Float32Array.from({ length: rate / 4 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 330 * i) / rate));
    return { kind: 'pcm' as const, samples, sampleRate: rate };
  },
}));

const events = (el: HTMLElement, types: string[]) => {
  const log: { type: string; detail: any }[] = [];
  for (const type of types) el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  return log;
};

async function* pieces(parts: string[], signal?: AbortSignal, delayMs = 5) {
  for (const p of parts) {
    await new Promise((r) => setTimeout(r, delayMs));
    if (signal?.aborted) return;
    yield p;
  }
}

const utterance = () => new Float32Array(16000);

describe('Conversation (the session\'s turn, barge-in and echo guard)', () => {
  let el: VoiceAssistant;
  let session: VoiceSession;
  let probe: PlaybackProbe;

  beforeEach(async () => {
    Object.assign(fake, { heard: 'hello', sttFails: 0, stt: [], tts: [], ttsDelayMs: 20 });
    probe = new PlaybackProbe();
    el = document.createElement('voice-assistant');
    el.setAttribute('stt', 'script-stt');
    el.setAttribute('tts', 'tone-tts');
    el.setAttribute('chat', 'none');
    el.setAttribute('rate-limit', 'none');
    document.body.append(el);
    await el.updateComplete;
    session = sessionOf(el);
  });

  afterEach(() => {
    probe.dispose();
    el.remove();
    // The session left with its host: nothing may hold the shared AudioContext any more.
    expect(audioContextUsers()).to.equal(0);
  });

  it('runs a whole turn: transcript, streamed response, sentence-by-sentence speech, metrics', async () => {
    const log = events(el, ['voice-state', 'voice-transcript', 'voice-response', 'voice-metrics']);
    el.responder = (_text, { signal }) => pieces(['Hello ', 'there. We are ', 'open. ', 'Bye'], signal);
    await session.conversation.handleUtterance(utterance(), { endedAt: performance.now() - 5 });
    const states = log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state);
    expect(states).to.deep.equal(['transcribing', 'thinking', 'speaking', 'idle']);
    const transcript = log.find((e) => e.type === 'voice-transcript')!.detail;
    expect(transcript).to.include({ text: 'hello', final: true, engine: 'script-stt' });
    expect(transcript.latencyMs).to.be.within(0, 1000);
    const responses = log.filter((e) => e.type === 'voice-response').map((e) => e.detail);
    expect(responses.map((r) => r.text)).to.deep.equal([
      'Hello ', 'Hello there. We are ', 'Hello there. We are open. ', 'Hello there. We are open. Bye', 'Hello there. We are open. Bye',
    ]);
    expect(responses.map((r) => r.final)).to.deep.equal([false, false, false, false, true]);
    expect(fake.tts.map((r) => r.text)).to.deep.equal(['Hello there.', 'We are open.', 'Bye']);
    expect(fake.stt[0]!.sampleRate).to.equal(16000);
    expect(fake.stt[0]!.audio.length).to.equal(16000);
    // Three 0.25 s sentences, back to back.
    expect(probe.audibleMs).to.be.within(550, 950);
    expect(probe.peakRms).to.be.within(0.2, 0.5);
    const metrics = log.find((e) => e.type === 'voice-metrics')!.detail;
    for (const k of ['speechEndToTranscriptMs', 'transcriptToFirstTokenMs', 'firstTokenToFirstAudioMs', 'speechEndToFirstAudioMs']) {
      expect(metrics[k], k).to.be.a('number').within(0, 2000);
    }
    expect(metrics.speechEndToFirstAudioMs).to.be.at.least(metrics.speechEndToTranscriptMs);
    expect(metrics.bargeInMs).to.equal(undefined);
    expect(performance.getEntriesByName('voice-assistant: speech end → first audio', 'measure').length).to.be.greaterThan(0);
  });

  it('synthesises the next sentence while the previous one plays', async () => {
    el.responder = () => 'One. Two. Three. Four.';
    const synthAt: number[] = [];
    const orig = fake.tts.push.bind(fake.tts);
    fake.tts.push = (...r: TtsRequest[]) => (synthAt.push(performance.now()), orig(...r));
    const started = performance.now();
    await session.conversation.handleUtterance(utterance());
    const total = performance.now() - started;
    expect(fake.tts.map((r) => r.text)).to.deep.equal(['One.', 'Two.', 'Three.', 'Four.']);
    // Sentence 2 was requested long before sentence 1 (250 ms) finished playing.
    expect(synthAt[1]! - synthAt[0]!).to.be.below(150);
    // Gapless: four 250 ms sentences take about 1 s, not 1 s + 4 synthesis delays + gaps.
    expect(total).to.be.below(1400);
    expect(probe.audibleMs).to.be.within(800, 1250);
  });

  it('takes the answer as a string, a promise, or from detail.respond (which wins)', async () => {
    const responses: string[] = [];
    el.addEventListener('voice-response', (e) => e.detail.final && responses.push(e.detail.text));
    el.responder = () => 'From a string.';
    await session.conversation.handleUtterance(utterance());
    el.responder = async (text) => `Promised ${text}.`;
    await session.conversation.handleUtterance(utterance());
    const respond = (e: Event) => (e as CustomEvent).detail.respond(pieces(['From ', 'respond.']));
    el.addEventListener('voice-transcript', respond, { once: true });
    await session.conversation.handleUtterance(utterance());
    el.responder = undefined;
    el.addEventListener('voice-transcript', (e) => e.detail.respond!(Promise.resolve('Only respond.')), { once: true });
    await session.conversation.handleUtterance(utterance());
    expect(responses).to.deep.equal(['From a string.', 'Promised hello.', 'From respond.', 'Only respond.']);
  });

  it('passes bounded history to the responder', async () => {
    const seen: number[] = [];
    el.responder = (_text, { history }) => (seen.push(history.length), `Answer ${seen.length}.`);
    for (let i = 0; i < 14; i++) await session.conversation.handleUtterance(utterance());
    expect(seen.slice(0, 4)).to.deep.equal([0, 2, 4, 6]);
    expect(Math.max(...seen)).to.equal(20);
    session.conversation.reset();
    await session.conversation.handleUtterance(utterance());
    expect(seen.at(-1)).to.equal(0);
  });

  it('stops after the transcript in dictation mode', async () => {
    el.mode = 'dictation';
    await el.updateComplete;
    const log = events(el, ['voice-transcript', 'voice-response', 'voice-state']);
    el.responder = () => 'never';
    fake.heard = 'take a note please';
    await session.conversation.handleUtterance(utterance());
    expect(log.filter((e) => e.type === 'voice-transcript').map((e) => e.detail.text)).to.deep.equal(['take a note please']);
    expect(log.some((e) => e.type === 'voice-response')).to.equal(false);
    expect(log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state)).to.deep.equal(['transcribing', 'idle']);
    expect(fake.tts).to.deep.equal([]);
  });

  it('fires voice-command for a matching phrase and says it did not understand otherwise', async () => {
    el.mode = 'command';
    el.commands = ['turn the lights on', 'next page'];
    await el.updateComplete;
    const commands: any[] = [];
    el.addEventListener('voice-command', (e) => commands.push(e.detail));
    fake.heard = 'turn the light on';
    await session.conversation.handleUtterance(utterance());
    expect(commands).to.have.length(1);
    expect(commands[0]).to.include({ phrase: 'turn the lights on', text: 'turn the light on' });
    expect(commands[0].confidence).to.be.within(0.6, 0.99);
    expect(fake.stt[0]!.grammar).to.deep.equal(['turn the lights on', 'next page']);
    fake.heard = 'what is the weather';
    await session.conversation.handleUtterance(utterance());
    expect(commands).to.have.length(1);
    expect(fake.tts.map((r) => r.text)).to.deep.equal(["Sorry, I didn't catch that command."]);
    expect(probe.audibleMs).to.be.above(150);
  });

  it('barges in: playback stops at once, the answer in flight is aborted, the next utterance is handled', async () => {
    const log = events(el, ['voice-metrics', 'voice-response']);
    let answerSignal!: AbortSignal;
    el.responder = (_t, { signal }) => {
      answerSignal = signal;
      return pieces(['This is a long answer. ', 'It goes on. ', 'And on. ', 'And on. ', 'And on. ', 'And on.'], signal, 60);
    };
    const turn = session.conversation.handleUtterance(utterance());
    await until(() => probe.audibleNow, 5000, 'first audio');
    expect(session.conversation.speaking).to.equal(true);
    const onset = performance.now();
    const ms = session.bargeIn.confirm(onset);
    expect(ms).to.be.a('number').below(20);
    expect(session.conversation.speaking).to.equal(false);
    expect(answerSignal.aborted).to.equal(true);
    expect(fake.tts.at(-1)!.signal.aborted).to.equal(true);
    await turn;
    // The audio graph is silent within a render quantum or two.
    await until(() => !probe.audibleNow, 200, 'silence');
    const silentAfter = performance.now() - onset;
    console.log(`barge-in (controller, fake engines): bargeIn() -> stop() ${ms!.toFixed(2)} ms, silent on the analyser after ${silentAfter.toFixed(1)} ms`);
    // voice-metrics fires at the first audio (DESIGN.md), and again with the barge-in.
    const metrics = log.filter((e) => e.type === 'voice-metrics').map((e) => e.detail);
    expect(metrics).to.have.length(2);
    expect(metrics[0].bargeInMs).to.equal(undefined);
    expect(metrics[1]).to.deep.equal({ ...metrics[0], bargeInMs: Math.round(ms! * 10) / 10 });
    const final = log.filter((e) => e.type === 'voice-response' && e.detail.final);
    expect(final).to.have.length(1);
    expect(final[0]!.detail.text).to.match(/^This is a long answer/);
    expect(final[0]!.detail.text).not.to.match(/And on\.$/);
    // Nothing to barge in on now.
    expect(session.bargeIn.confirm()).to.equal(undefined);
    el.responder = () => 'Second answer.';
    fake.tts.length = 0;
    await session.conversation.handleUtterance(utterance());
    expect(fake.tts.map((r) => r.text)).to.deep.equal(['Second answer.']);
  });

  it('does not barge in when barge-in is off', async () => {
    el.bargeIn = false;
    await el.updateComplete;
    el.responder = () => 'One sentence. Another sentence.';
    const turn = session.conversation.handleUtterance(utterance());
    await until(() => probe.audibleNow, 5000, 'first audio');
    expect(session.bargeIn.confirm()).to.equal(undefined);
    expect(session.bargeIn.echoGuard).to.deep.equal({ speaking: true, threshold: 0.5, minSpeechMs: 0 });
    await turn;
    expect(fake.tts).to.have.length(2);
  });

  it('raises the echo guard while speaking with barge-in on', async () => {
    expect(session.bargeIn.echoGuard).to.deep.equal({ speaking: false, threshold: 0.5, minSpeechMs: 0 });
    el.responder = () => 'A sentence to say.';
    const turn = session.conversation.handleUtterance(utterance());
    await until(() => probe.audibleNow, 5000, 'first audio');
    expect(session.bargeIn.echoGuard.threshold).to.equal(0.75);
    expect(session.bargeIn.echoGuard.minSpeechMs).to.be.above(0);
    await turn;
  });

  it('reports a failed utterance and retry() resends the same audio', async () => {
    const errors: any[] = [];
    el.addEventListener('voice-error', (e) => errors.push(e.detail));
    el.responder = () => 'Got it.';
    fake.sttFails = 1;
    const samples = utterance();
    await session.conversation.handleUtterance(samples);
    expect(errors).to.have.length(1);
    expect(errors[0]).to.include({ code: 'engine-failed', recoverable: true });
    expect(errors[0].message).to.contain('script-stt is down');
    await session.conversation.retry();
    expect(fake.stt).to.have.length(2);
    expect(fake.stt[1]!.audio).to.equal(samples);
    expect(fake.tts.map((r) => r.text)).to.deep.equal(['Got it.']);
  });

  it('speak() says text now, sentence by sentence', async () => {
    const states: string[] = [];
    el.addEventListener('voice-state', (e) => states.push(e.detail.state));
    await session.conversation.speak('Welcome back. How can I help?');
    expect(fake.tts.map((r) => r.text)).to.deep.equal(['Welcome back.', 'How can I help?']);
    expect(probe.audibleMs).to.be.within(350, 750);
    expect(states).to.deep.equal(['speaking', 'idle']);
  });
});
