import type { CaptureController } from '../controllers/capture-controller.js';
import type { EnginesController } from '../controllers/engines-controller.js';
import type { PlaybackController } from '../controllers/playback-controller.js';
import type { RealtimeClient, RealtimeEvent } from '../engines/realtime/realtime-client.js';
import type { VoiceAssistantError } from '../errors.js';
import { VoiceMetricsEvent, type VoiceMetricsDetail } from '../events/voice-metrics-event.js';
import { VoiceResponseEvent } from '../events/voice-response-event.js';
import { VoiceTranscriptEvent } from '../events/voice-transcript-event.js';
import { TurnMetrics } from '../internal/turn-metrics.js';
import type { Queued } from '../audio/playback-queue.js';
import type { Utterance } from '../vad/vad-client.js';
import type { Conversation } from './conversation.js';
import { RealtimeSocket } from './realtime-socket.js';
import type { SessionHost } from './session-host.js';

/** Frames (32 ms) kept before the speech start, so the start of the first word is sent too. */
const PRE_ROLL_FRAMES = 16;

interface RealtimeTurn {
  samples: Float32Array;
  question?: string;
  metrics: TurnMetrics;
  userLine?: number;
  answerLine?: number;
  answer: string;
  itemId?: string;
  /** The VAD's speech start to the first partial transcript (ms), when one came before the commit. */
  firstPartialMs?: number;
  /** When the first answer audio started playing, and how much was queued (ms). */
  firstAudioAt?: number;
  queuedMs: number;
  last?: Queued;
  done: boolean;
}

/**
 * Transport `realtime` (DESIGN.md section 1): one WebSocket per listening session. The VAD
 * worker hands every frame over as 24 kHz PCM16; from the speech start (with a pre-roll) they
 * are appended, so the server recognises while the user speaks (partial `voice-transcript`s);
 * the VAD's end of the turn commits and asks for the answer, whose text streams to
 * `voice-response` and whose audio plays through the playback queue as it arrives. Barge-in
 * cancels the response and tells the server what was heard. When the socket is not there (or
 * fails mid-turn), the utterance goes through the `http` engine chains instead, nothing lost, and
 * the socket comes back with backoff and jitter; `voice-circuit` (engine `realtime`) reports it.
 */
export class RealtimeLink {
  private readonly socket: RealtimeSocket;
  private readonly preRoll: string[] = [];
  private streaming = false;
  private turn?: RealtimeTurn;
  private speechStartedAt = 0;
  /** The first partial transcript of the utterance under way (ms after its speech start). */
  private firstPartialMs?: number;
  /** The last turn, when its answer ended before its final transcript came. */
  private unheard?: RealtimeTurn;
  /** The partial transcript so far per input item, for servers that send only `delta`s (OpenAI). */
  private readonly partialText = new Map<string, string>();

  constructor(
    private readonly host: SessionHost,
    engines: EnginesController,
    private readonly capture: CaptureController,
    private readonly playback: PlaybackController,
    private readonly conversation: Conversation,
    report: (e: VoiceAssistantError) => void,
  ) {
    this.socket = new RealtimeSocket(host, engines, report, { event: (e) => this.event(e), lost: () => this.lost() });
  }

  private get client(): RealtimeClient | undefined {
    return this.socket.client;
  }

  /** Listening is starting: the socket opens (turns go through http until it is open). */
  connect(): void {
    this.socket.start();
  }

  /** Listening began: the VAD worker hands its frames over as protocol audio. */
  start(): void {
    this.capture.vad?.stream(true);
  }

  /** Listening ended: the socket closes, the turn in flight stops. */
  stop(): void {
    this.capture.vad?.stream(false);
    this.cancelTurn();
    this.socket.stop();
    this.streaming = false;
    this.preRoll.length = 0;
  }

  /** Whether a socket is open (for `debugHeld()`). */
  get open(): boolean {
    return !!this.client?.open;
  }

  /** A frame of protocol audio from the VAD worker. */
  pcm(base64: string): void {
    if (this.streaming && this.client?.open) return this.client.append(base64);
    this.preRoll.push(base64);
    if (this.preRoll.length > PRE_ROLL_FRAMES) this.preRoll.shift();
  }

  speechStarted(): void {
    this.speechStartedAt = performance.now();
    this.firstPartialMs = undefined;
    this.partialText.clear();
    if (!this.client?.open) return;
    this.client.clear();
    for (const b of this.preRoll.splice(0)) this.client.append(b);
    this.streaming = true;
  }

  /** The user's turn ended; false when the socket cannot take it (the caller uses http). */
  speechEnded(u: Utterance, endedAt: number): boolean {
    const streamed = this.streaming;
    this.streaming = false;
    const { mode, chat } = this.host.config;
    // Commands need the grammar recogniser and the page's own answers the transcript event:
    // those turns go through the http chains (the partials were shown all the same).
    if (!streamed || !this.client?.open || mode === 'command' || (mode === 'conversation' && chat !== 'remote')) {
      if (streamed) this.client?.clear();
      return false;
    }
    this.cancelTurn();
    this.turn = { samples: u.audio, metrics: new TurnMetrics(endedAt), answer: '', queuedMs: 0, done: false, firstPartialMs: this.firstPartialMs };
    this.turn.metrics.mark('endpoint');
    // The server first: the answer it prepared in the pause leaves at once (the state's listeners run after).
    this.client.commit(mode === 'conversation');
    this.host.machine.send('utterance');
    return true;
  }

  /**
   * Barge-in (the conversation was interrupted, its output silenced `ms` after the VAD's onset):
   * the server stops and learns what was heard; `voice-metrics` gets `bargeInMs`.
   */
  interrupted(ms: number): void {
    const t = this.turn;
    if (!t) return;
    t.metrics.bargedIn(ms);
    this.emitMetrics(t, t.metrics.finish() ?? t.metrics.interrupted());
    const heard = t.firstAudioAt === undefined ? 0 : Math.min(t.queuedMs, performance.now() - t.firstAudioAt);
    // A response the server has finished is only truncated (cancelling it would be an error).
    this.client?.interrupt(t.itemId, heard, !t.done);
    this.turn = undefined;
  }

  private cancelTurn() {
    const t = this.turn;
    if (!t) return;
    this.turn = undefined;
    if (!t.done) this.client?.interrupt(t.itemId, 0);
  }

  /** The socket went away: a turn in flight goes through http (the socket comes back by itself). */
  private lost() {
    this.streaming = false;
    const t = this.turn;
    this.turn = undefined;
    if (t && !t.done && t.firstAudioAt === undefined) void this.conversation.handleUtterance(t.samples, { endedAt: t.metrics.at('speechEnd') });
  }

  private event(e: RealtimeEvent) {
    const t = this.turn;
    if (!e.type.endsWith('.delta')) this.host.debugLog('realtime', e.type, e.error ?? e.transcript ?? '');
    switch (e.type) {
      case 'conversation.item.input_audio_transcription.delta': {
        // While the user speaks, or for the committed turn until its final transcript.
        if (!this.streaming && !(t && t.question === undefined)) return;
        // The whole hypothesis when the server sends it (it may revise earlier words), else the
        // deltas so far: OpenAI's `delta` events carry only the new text.
        const id = String(e.item_id ?? '');
        const sofar = typeof e.transcript === 'string' ? e.transcript : (this.partialText.get(id) ?? '') + String(e.delta ?? '');
        this.partialText.set(id, sofar);
        const text = sofar.trim();
        if (!text) return;
        const latencyMs = Math.round(performance.now() - this.speechStartedAt);
        if (this.streaming) this.firstPartialMs ??= latencyMs;
        this.conversation.caption(text);
        this.host.dispatchEvent(new VoiceTranscriptEvent({ text, final: false, engine: 'realtime', latencyMs }));
        return;
      }
      case 'conversation.item.input_audio_transcription.completed': {
        // OpenAI transcribes the input beside the response: the final transcript may come after
        // the answer has ended (then it is shown, told and kept in the history all the same).
        const late = !t && this.unheard?.question === undefined ? this.unheard : undefined;
        this.unheard = undefined;
        const turn = t ?? late;
        if (!turn) return;
        turn.metrics.mark('transcript');
        const text = String(e.transcript ?? '').trim();
        turn.question = text;
        turn.userLine = this.conversation.said(text);
        const latencyMs = Math.round(turn.metrics.at('transcript')! - turn.metrics.at('speechEnd')!);
        this.host.dispatchEvent(new VoiceTranscriptEvent({ text, final: true, engine: 'realtime', latencyMs }));
        if (late) {
          if (late.answer) this.conversation.history.add(text, late.answer);
          return this.emitMetrics(late);
        }
        if (!t) return;
        if (this.host.config.mode !== 'conversation') {
          // Dictation: the transcript is the whole turn.
          t.done = true;
          this.turn = undefined;
          this.host.machine.send('done');
          return;
        }
        // The server may have started the answer before the final transcript (an answer it
        // prepared while the user paused): then the turn is already speaking.
        if (t.firstAudioAt === undefined) this.host.machine.send('transcript');
        this.emitMetrics(t);
        return;
      }
      case 'response.output_audio_transcript.delta':
      case 'response.output_text.delta': {
        if (!t) return;
        t.metrics.mark('firstToken');
        t.itemId ??= e.item_id;
        if (t.question === undefined && t.answerLine === undefined) this.conversation.holdPlace();
        t.answer += String(e.delta ?? '');
        t.answerLine = this.host.showTranscript({ id: t.answerLine, who: 'assistant', text: t.answer, final: false });
        this.host.dispatchEvent(new VoiceResponseEvent({ text: t.answer, final: false }));
        return;
      }
      case 'response.output_audio.delta':
        return t && this.audio(t, e);
      case 'response.done':
        return t && this.finish(t, e);
      case 'conversation.item.input_audio_transcription.failed':
      case 'error':
        // An error while a turn waits for its answer: the turn goes through http instead.
        if (t && !t.done && t.firstAudioAt === undefined && t.answer === '') {
          this.turn = undefined;
          void this.conversation.handleUtterance(t.samples, { endedAt: t.metrics.at('speechEnd') });
        }
        return;
    }
  }

  private audio(t: RealtimeTurn, e: RealtimeEvent) {
    t.itemId ??= e.item_id;
    const bytes = Uint8Array.from(atob(String(e.delta ?? '')), (ch) => ch.charCodeAt(0));
    const pcm = new Int16Array(bytes.buffer, 0, bytes.length >> 1);
    const samples = Float32Array.from(pcm, (v) => v / 32768);
    if (!samples.length) return;
    t.queuedMs += (samples.length / 24000) * 1000;
    const queued = (t.last = this.playback.queue.enqueue({ kind: 'pcm', samples, sampleRate: 24000 }));
    if (t.firstAudioAt !== undefined) return;
    t.firstAudioAt = Infinity;
    void queued.started.then((at) => {
      if (this.turn !== t) return;
      t.firstAudioAt = at;
      t.metrics.mark('firstAudio', at);
      this.host.machine.send('audio');
      this.emitMetrics(t);
    });
  }

  /** `voice-metrics`, by default once the turn has both its transcript and its first audio (in either order). */
  private emitMetrics(t: RealtimeTurn, detail: VoiceMetricsDetail | undefined = t.metrics.finish()) {
    if (detail) this.host.dispatchEvent(new VoiceMetricsEvent(t.firstPartialMs === undefined ? detail : { ...detail, speechStartToFirstPartialMs: t.firstPartialMs }));
  }

  private finish(t: RealtimeTurn, e: RealtimeEvent) {
    t.done = true;
    if (e.response?.status !== 'completed') return;
    if (t.answer) {
      this.host.showTranscript({ id: t.answerLine, who: 'assistant', text: t.answer, final: true });
      this.host.dispatchEvent(new VoiceResponseEvent({ text: t.answer, final: true }));
      // The http engines answer with the same history if the socket goes away later.
      if (t.question) this.conversation.history.add(t.question, t.answer);
    }
    if (t.question === undefined) this.unheard = t;
    const over = () => {
      if (this.turn !== t) return;
      this.turn = undefined;
      this.host.machine.send('done');
    };
    void (t.last ? t.last.done.then(over, over) : Promise.resolve().then(over));
  }
}
