import { CaptureController } from '../controllers/capture-controller.js';
import { ConversationController } from '../controllers/conversation-controller.js';
import { VoiceAssistantError } from '../errors.js';
import { VoiceSpeechEndEvent } from '../events/voice-speech-end-event.js';
import { VoiceSpeechStartEvent } from '../events/voice-speech-start-event.js';
import type { Utterance } from '../vad/vad-client.js';
import type { VadStats } from '../vad/vad-protocol.js';
import { Disposer } from '../resilience/disposer.js';
import { RESILIENCE_DEFAULTS, SessionResilience } from '../resilience/session-resilience.js';
import { SEGMENTER_DEFAULTS } from '../vad/segmenter.js';
import type { Session, SessionHost } from './session-host.js';

/** An onset not confirmed as speech within this time was not the user: the output comes back. */
const UNDUCK_MS = 400;

/**
 * Wires the pipeline of DESIGN.md section 2 for one element:
 *   capture (mic -> worklet -> VAD, src/controllers/capture-controller.ts)  -> utterances
 *   conversation (STT -> responder -> TTS -> playback, src/controllers/conversation-controller.ts)
 * Each part is a controller bound to the host's lifecycle; this class only connects them.
 */
export class VoiceSession implements Session {
  readonly capture: CaptureController;
  /** STT -> answer -> TTS -> playback, with barge-in (the conversation side of issue 4). */
  readonly conversation: ConversationController;
  /** Onset (audio ms) and `performance.now()` of the speech under way, if any. */
  private speaking?: { at: number; since: number };
  /** Everything this element's session holds (issue 6, "provable cleanup"); `debugHeld()` lists it. */
  readonly disposer = new Disposer('voice-assistant', (label, e) => this.host.debugLog('release failed', label, e));
  /** Rate limiter, circuit breakers and the call wrapper of every engine chain. */
  readonly resilience: SessionResilience;
  /** Brings ducked output back when an onset is not confirmed as speech. */
  private unduck?: ReturnType<typeof setTimeout>;
  /** What one start() .. stop() holds. */
  private listening?: Disposer;

  constructor(private readonly host: SessionHost) {
    this.resilience = new SessionResilience(host, this.disposer);
    this.capture = new CaptureController(host, {
      onSpeechOnset: () => this.speechOnset(),
      onSpeechStart: (at) => this.speechStarted(at),
      onSpeechEnd: (u) => this.speechEnded(u),
      onLevel: (level) => host.showLevel(level),
      onError: (e) => this.captureFailed(e),
    });
    this.conversation = new ConversationController(host, {
      restingState: () => (this.capture.status === 'listening' ? 'listening' : 'idle'),
      registered: (host.constructor as { engines?: ReadonlyMap<string, unknown> }).engines,
      wrap: this.resilience.wrap,
      onSpeakingChange: () => this.guardEcho(),
      stallMs: RESILIENCE_DEFAULTS.stallMs,
      ttsMaxChars: RESILIENCE_DEFAULTS.ttsMaxChars,
    });
    // Their own teardown releases what they hold; the disposer makes sure it runs, in order.
    this.disposer.add('conversation (playback on the shared AudioContext, engines and their workers)', () => this.conversation.dispose());
    this.disposer.listen('pagehide listener', window, 'pagehide', () => {
      this.stop();
      this.host.setState('idle');
    });
  }

  async start(): Promise<void> {
    const scope = (this.listening ??= this.disposer.scope('listening'));
    // The grammar recogniser loads beside the microphone and VAD, not after the first command.
    this.conversation.preloadGrammarRecogniser().catch((e: unknown) => this.host.debugLog('local stt preload failed', e));
    await this.capture.start();
    scope.add('capture (microphone track, worklet, VAD worker, AudioContext use)', () => this.capture.stop(), {
      alive: () => this.capture.status !== 'idle',
    });
    this.host.setState('listening');
  }

  stop(): void {
    clearTimeout(this.unduck);
    this.conversation.stop();
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
   * A frame crossed the VAD threshold: if the assistant is speaking, its output is ducked now,
   * before the VAD confirms speech (barge-in within a frame or two of the onset); an onset that
   * is not confirmed soon brings the output back.
   */
  private speechOnset() {
    this.conversation.duck(true);
    clearTimeout(this.unduck);
    this.unduck = setTimeout(() => this.conversation.duck(false), UNDUCK_MS);
  }

  /** While the assistant is audible, its echo must not pass for the user. */
  private guardEcho() {
    const g = this.conversation.echoGuard;
    this.capture.guard({ threshold: g.threshold, minSpeechMs: g.minSpeechMs || SEGMENTER_DEFAULTS.minSpeechMs });
  }

  private speechStarted(at: number) {
    clearTimeout(this.unduck);
    this.speaking = { at, since: performance.now() };
    this.host.setState('user-speaking');
    this.host.dispatchEvent(new VoiceSpeechStartEvent({ at }));
    // Speech timestamps count from the microphone opening: the onset in performance.now() time.
    this.conversation.bargeIn(this.capture.openedAt + at);
  }

  private speechEnded(u: Utterance) {
    this.speaking = undefined;
    this.host.debugLog('utterance', { startMs: u.startMs, endMs: u.endMs, samples: u.audio.length, reason: u.reason });
    this.host.dispatchEvent(new VoiceSpeechEndEvent({ at: u.endMs, durationMs: u.endMs - u.startMs }));
    void this.conversation.handleUtterance(u.audio);
  }

  /** Listening stops while the user speaks: close the pair of events with the time so far. */
  private endSpeech() {
    const s = this.speaking;
    if (!s) return;
    this.speaking = undefined;
    const durationMs = Math.round(performance.now() - s.since);
    this.host.dispatchEvent(new VoiceSpeechEndEvent({ at: s.at + durationMs, durationMs }));
  }

  private captureFailed(error: VoiceAssistantError) {
    this.endSpeech();
    this.host.showLevel(0);
    if (error.code === 'aborted') return this.host.setState('idle');
    this.host.setState('error');
    this.host.report(error);
  }
}
