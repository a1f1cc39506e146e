import { CaptureController } from '../controllers/capture-controller.js';
import { EnginesController } from '../controllers/engines-controller.js';
import { PlaybackController } from '../controllers/playback-controller.js';
import { OPERATION_LABEL } from '../config/operation.js';
import type { RegisteredEngine } from '../engines/engine-context.js';
import type { VoiceAssistantError } from '../errors.js';
import { VoiceCircuitEvent } from '../events/voice-circuit-event.js';
import { VoiceRateLimitedEvent } from '../events/voice-rate-limited-event.js';
import { VoiceSpeechEndEvent } from '../events/voice-speech-end-event.js';
import { VoiceSpeechStartEvent } from '../events/voice-speech-start-event.js';
import { Disposer } from '../resilience/disposer.js';
import type { MetricsBeacon } from '../metrics/metrics-beacon.js';
import type { Utterance } from '../vad/vad-client.js';
import type { VadStats } from '../vad/vad-protocol.js';
import { BargeIn } from './barge-in.js';
import { Conversation } from './conversation.js';
import { RealtimeLink } from './realtime-link.js';
import type { Session, SessionHost } from './session-host.js';
import { TranscriptStore } from './transcript-store.js';

/** RMS of a 32 ms block (about -46 dBFS) above which captured audio may hold speech. */
const UNSEGMENTED_FLOOR = 0.005;

/**
 * The conductor of one element (DESIGN.md section 2). Three controllers hold the resources:
 *   capture  (microphone -> worklet -> VAD worker)        -> speech onset, start, utterances
 *   engines  (registry, chains, rate limits, breakers)    -> transcripts, answers, speech
 *   playback (the queue on the shared AudioContext)       -> audible / silent
 * and the session decides what they mean: the turn (conversation.ts), barge-in and the echo
 * guard (barge-in.ts), and the element's state, which it changes only by telling the state
 * machine (state-machine.ts) what happened.
 */
export class VoiceSession implements Session {
  readonly capture: CaptureController;
  readonly engines: EnginesController;
  readonly playback: PlaybackController;
  /** The turn: transcribe -> answer -> speak. */
  readonly conversation: Conversation;
  readonly bargeIn: BargeIn;
  /** Everything this element's session holds ("provable cleanup"); `debugHeld()` lists it. */
  readonly disposer = new Disposer('voice-assistant', (label, e) => this.host.debugLog('release failed', label, e));
  /** Onset (audio ms) and `performance.now()` of the speech under way, if any. */
  private speaking?: { at: number; since: number };
  /** Transport `realtime`: the socket of this listening session. */
  private realtime?: RealtimeLink;
  /** What one start() .. stop() holds. */
  private listening?: Disposer;
  /** Push-to-talk was let go: the microphone closes at the end of the utterance under way. */
  private releasing = false;
  /** The `metrics-url` beacon, once its chunk has loaded. */
  private metrics?: MetricsBeacon;
  private metricsLoading?: Promise<void>;

  constructor(private readonly host: SessionHost) {
    this.engines = new EnginesController(host, {
      registered: (host.constructor as { engines?: ReadonlyMap<string, RegisteredEngine> }).engines,
      onCircuit: (c) => host.dispatchEvent(new VoiceCircuitEvent(c)),
      onRateLimited: (operation, retryAfterMs) => host.dispatchEvent(new VoiceRateLimitedEvent({ operation, retryAfterMs })),
      onFailover: (operation, engine) => this.metrics?.failover(operation, engine),
    });
    this.playback = new PlaybackController(host, { onAudible: (on) => this.bargeIn.audible(on) });
    this.capture = new CaptureController(host, {
      onSpeechOnset: () => this.bargeIn.onset(),
      onSpeechStart: (at) => this.speechStarted(at),
      onSpeechEnd: (u) => this.speechEnded(u),
      // Turn-taking: the answer is prepared while the user pauses, and dropped if they go on.
      onSpeechPause: (u) => this.realtime?.open || this.conversation.speculate(u.audio, { endedAt: this.capture.openedAt + u.endMs }),
      onSpeechResume: () => this.conversation.dropSpeculation(),
      onUnsegmented: (audio) => this.unsegmented(audio),
      onLevel: (level) => host.showLevel(level),
      onError: (e) => this.captureFailed(e),
      onPcm: (b) => this.realtime?.pcm(b),
    });
    this.conversation = new Conversation(host, this.engines, this.playback, (e) => this.report(e));
    this.bargeIn = new BargeIn(host, this.playback, this.conversation, (o) => this.capture.guard(o));
    // Their own teardown releases what they hold; the disposer makes sure it runs, in order.
    this.disposer.add('conversation (the turn in flight)', () => this.conversation.cancel());
    this.disposer.add('playback (the shared AudioContext)', () => this.playback.dispose());
    this.disposer.add('engines (their workers, the token, the rate limiter\'s IndexedDB connection)', () => this.engines.dispose());
    this.disposer.add('VAD worker (kept warm between listenings)', () => this.capture.release(), { alive: () => !!this.capture.vad });
    if (host.config.persist === 'history') this.keepHistory();
    if (host.config.metricsUrl) this.startMetrics(host.config.metricsUrl);
    this.disposer.listen('pagehide listener', window, 'pagehide', () => {
      this.stop();
      this.capture.release();
      host.machine.send('stop');
    });
  }

  async start(): Promise<void> {
    const scope = (this.listening ??= this.disposer.scope('listening'));
    this.engines.warm().catch((e: unknown) => this.host.debugLog('token prefetch failed', e));
    // The realtime socket opens while the microphone and the VAD do, so the first words go to it.
    const link = this.host.config.transport === 'realtime' ? (this.realtime ??= new RealtimeLink(this.host, this.engines, this.capture, this.playback, this.conversation, (e) => this.report(e))) : undefined;
    if (link) {
      this.conversation.onInterrupt = (ms) => link.interrupted(ms);
      link.connect();
      scope.add('realtime socket', () => link.stop(), { alive: () => link.open });
    }
    await this.capture.start();
    // The beacon's small chunk loads while the microphone and VAD do; it must hear `listening`.
    await this.metricsLoading;
    scope.add('capture (microphone track, worklet, VAD worker, AudioContext use)', () => this.capture.stop(), {
      alive: () => this.capture.status !== 'idle',
    });
    this.host.machine.send('listen');
    // Let go while the microphone opened: what was said meanwhile is being segmented now; if no
    // speech has begun within a pause's length, there is none to wait for.
    if (this.releasing) setTimeout(() => this.releasing && !this.speaking && this.closeMic(), this.host.config.silenceMs);
    link?.start();
    // The VAD's model and runtime download first, alone on a slow link; the grammar recogniser
    // once they are in (or failed: then it may be the one to hear the captured audio), while the
    // VAD worker compiles them and the user still speaks, not after the first command.
    const preload = () => this.preloadGrammarRecogniser().catch((e: unknown) => this.host.debugLog('local stt preload failed', e));
    void this.capture.vad?.downloaded.then(preload, preload);
  }

  release(): void {
    const state = this.host.machine.state;
    if (state === 'idle' || state === 'error' || state === 'disabled') return;
    // Still opening, or the user is mid-sentence: close when that is over; else close now.
    if (state === 'loading' || this.speaking) this.releasing = true;
    else this.closeMic();
  }

  /** The microphone closes and the turn under way (if any) goes on: the end of push-to-talk. */
  private closeMic() {
    this.releasing = false;
    this.capture.stop();
    void this.listening?.dispose();
    this.listening = undefined;
    this.host.showLevel(0);
    this.host.machine.send('release');
  }

  stop(): void {
    this.releasing = false;
    this.realtime?.stop();
    this.bargeIn.clear();
    this.conversation.cancel();
    this.endSpeech();
    this.capture.stop();
    void this.listening?.dispose();
    this.listening = undefined;
    this.host.showLevel(0);
  }

  /** Labels of every resource still held (the debug accessor); empty after `dispose()`. */
  debugHeld(): string[] {
    return this.disposer.held();
  }

  speak(text: string): Promise<void> {
    return this.conversation.speak(text);
  }

  send(text: string): Promise<void> {
    return this.conversation.send(text);
  }

  /** Muted: what is playing stops now; the speaker skips what comes next (captions go on). */
  mute(on: boolean): void {
    if (on) this.playback.queue.stop();
  }

  reset(): void {
    this.conversation.reset();
  }

  retry(): Promise<void> {
    return this.conversation.retry();
  }

  async preload(): Promise<void> {
    await this.capture.preload();
  }

  /** Inference time against audio time, measured in the VAD worker (for bench/vad.mjs). */
  vadStats(): Promise<VadStats> | undefined {
    return this.capture.vad?.stats();
  }

  dispose(): void {
    this.stop();
    void this.disposer.dispose();
  }

  /**
   * Loads the local recogniser while the user is still silent, when it will be asked first or
   * after a mishearing: in command mode, or with a page grammar. Without this, the first command
   * waits for its download (about 10 MB) and its start.
   */
  private async preloadGrammarRecogniser(): Promise<void> {
    const { mode, stt } = this.host.config;
    if (!stt.includes('local') || (mode !== 'command' && !this.host.grammar.length)) return;
    await this.engines.preload('stt', ['local']);
  }

  /** Every error of the pipeline reaches the element here; a spent budget also says when to speak again. */
  private report(error: VoiceAssistantError) {
    const wait = error.code === 'rate-limited' ? this.engines.resilience.longestWait() : undefined;
    this.host.report(error);
    if (wait) {
      const s = Math.ceil(wait.ms / 1000);
      this.host.showTranscript({ who: 'note', text: `${OPERATION_LABEL[wait.operation]}: too many requests just now; you can speak again in ${s} s.`, final: true });
    }
  }

  private speechStarted(at: number) {
    this.speaking = { at, since: performance.now() };
    this.host.machine.send('speech');
    this.host.dispatchEvent(new VoiceSpeechStartEvent({ at }));
    this.realtime?.speechStarted();
    // Speech timestamps count from the microphone opening: the onset in performance.now() time.
    this.bargeIn.confirm(this.capture.openedAt + at);
  }

  private speechEnded(u: Utterance) {
    this.speaking = undefined;
    this.host.debugLog('utterance', { startMs: u.startMs, endMs: u.endMs, samples: u.audio.length, reason: u.reason });
    this.host.dispatchEvent(new VoiceSpeechEndEvent({ at: u.endMs, durationMs: u.endMs - u.startMs }));
    // The turn's timings start at the last voiced frame, not when the utterance reached us.
    if (this.realtime?.speechEnded(u, this.capture.openedAt + u.endMs)) return this.conversation.dropSpeculation();
    void this.conversation.commit(u.audio, { endedAt: this.capture.openedAt + u.endMs });
    if (this.releasing) this.closeMic();
  }

  /** Listening stops while the user speaks: close the pair of events with the time so far. */
  private endSpeech() {
    const s = this.speaking;
    if (!s) return;
    this.speaking = undefined;
    const durationMs = Math.round(performance.now() - s.since);
    this.host.dispatchEvent(new VoiceSpeechEndEvent({ at: s.at + durationMs, durationMs }));
  }

  /**
   * The speech detector did not load, but the microphone heard something meanwhile: it goes to
   * the STT chain as one utterance rather than being dropped (if it is more than silence).
   */
  private unsegmented(audio: Float32Array) {
    let loudest = 0;
    for (let i = 0; i + 512 <= audio.length; i += 512) {
      let sum = 0;
      for (let k = i; k < i + 512; k++) sum += audio[k]! * audio[k]!;
      loudest = Math.max(loudest, Math.sqrt(sum / 512));
    }
    this.host.debugLog('speech detector failed; captured audio', { samples: audio.length, loudest });
    if (loudest > UNSEGMENTED_FLOOR) void this.conversation.handleUtterance(audio);
  }

  /**
   * `persist="history"`: the last exchanges come back after a reload (in the conversation and
   * the panel) and every change is written to IndexedDB; `reset()` (the panel's Forget) clears it.
   */
  private keepHistory() {
    const el = this.host as SessionHost & { id?: string };
    const store = new TranscriptStore(`${location.pathname}#${el.id ?? ''}`);
    this.disposer.add('history (IndexedDB connection)', () => store.close());
    const history = this.conversation.history;
    history.onChange = (messages) => void store.save(messages);
    void store.load().then((messages) => {
      if (history.length || !messages.length) return;
      history.restore(messages);
      for (const m of history) this.host.showTranscript({ who: m.role === 'user' ? 'user' : 'assistant', text: m.content, final: true });
    });
  }

  /** `metrics-url`: the beacon's own chunk loads now, off the path of the first turn; a failure only loses the metrics. */
  private startMetrics(url: string) {
    const { mode, stt, tts, chat } = this.host.config;
    this.metricsLoading = import('../metrics/metrics-beacon.js')
      .then(({ startMetrics }) => {
        if (this.disposer.disposed) return;
        const m = (this.metrics = startMetrics(this.host, { url, assetFolder: this.host.assetFolder, widget: { mode, stt, tts, chat }, vadStats: () => this.vadStats() }));
        this.disposer.add('metrics beacon (timer, observers, listeners)', () => m.dispose());
      })
      .catch((e: unknown) => this.host.debugLog('metrics code failed to load', e));
  }

  private captureFailed(error: VoiceAssistantError) {
    this.endSpeech();
    this.host.showLevel(0);
    if (error.code === 'aborted') return void this.host.machine.send('stop');
    this.host.machine.send('capture-fail');
    this.report(error);
  }
}
