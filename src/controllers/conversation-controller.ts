import type { ReactiveController } from '@lit/reactive-element';
import { PlaybackQueue } from '../audio/playback-queue.js';
import { SentenceSplitter } from '../audio/sentence-splitter.js';
import { createEngineContext } from '../engines/create-engine-context.js';
import { EngineChain, type CallWrapper } from '../engines/engine-chain.js';
import { EngineRegistry } from '../engines/engine-registry.js';
import type { ChatEngine, ChatMessage } from '../engines/responder/chat-engine.js';
import { PageResponder } from '../engines/responder/page-responder.js';
import { SentenceSpeaker, type SpeechJob } from '../engines/tts/sentence-speaker.js';
import { toVoiceError } from '../errors.js';
import { stallGuard } from '../resilience/timeout.js';
import { VoiceCommandEvent } from '../events/voice-command-event.js';
import { VoiceMetricsEvent } from '../events/voice-metrics-event.js';
import { VoiceResponseEvent } from '../events/voice-response-event.js';
import type { VoiceState } from '../events/voice-state-event.js';
import { VoiceTranscriptEvent } from '../events/voice-transcript-event.js';
import { matchCommand } from '../internal/command-matcher.js';
import { TurnMetrics } from '../internal/turn-metrics.js';
import type { ResponderResult, SessionHost } from '../session/session-host.js';

export interface ConversationOptions {
  /** Where the state goes after a turn: `listening` while the microphone is open, else `idle`. */
  restingState?: () => VoiceState;
  /** Engines added with `VoiceAssistant.registerEngine`. */
  registered?: ReadonlyMap<string, unknown>;
  /** Wraps every engine call (rate limiter, circuit breaker). */
  wrap?: CallWrapper;
  /** Told when the assistant starts or stops being audible (capture raises its echo guard). */
  onSpeakingChange?: (speaking: boolean) => void;
  /** Messages of history kept (user and assistant together). */
  maxHistory?: number;
  /** A chat stream silent for this long mid-way is given up (what arrived is kept). */
  stallMs?: number;
  /** Text per TTS request; longer text is split at sentence boundaries with a warning. */
  ttsMaxChars?: number;
}

/** How capture should guard against the assistant's own voice while it is audible. */
export interface EchoGuard {
  readonly speaking: boolean;
  /** Speech probability needed to start speech now. */
  readonly threshold: number;
  /** Speech shorter than this (ms) is a misfire now. */
  readonly minSpeechMs: number;
}

export const CONVERSATION_DEFAULTS = { maxHistory: 20, notUnderstood: "Sorry, I didn't catch that command." };

interface Turn {
  readonly ac: AbortController;
  readonly metrics: TurnMetrics;
  job?: SpeechJob;
}

/**
 * The conversation loop of DESIGN.md section 2, for one element: utterance -> STT chain ->
 * `voice-transcript` -> (dictation: done | command: `voice-command` | conversation: chat engine
 * or the page -> `voice-response` stream -> sentences -> TTS chain -> playback), with barge-in,
 * bounded history and `voice-metrics` per turn. A newer utterance supersedes an older turn.
 * @example
 * const conversation = new ConversationController(host, { restingState: () => 'listening' });
 * capture.onUtterance = (samples, endedAt) => conversation.handleUtterance(samples, { endedAt });
 * capture.onSpeechStart = (at) => conversation.bargeIn(at);
 */
export class ConversationController implements ReactiveController {
  /** The assistant's audio output (tests tap it through `PlaybackQueue.taps`). */
  readonly playback: PlaybackQueue;
  private readonly engineCtx;
  private registry: EngineRegistry;
  private readonly speaker: SentenceSpeaker;
  private readonly options: Required<Pick<ConversationOptions, 'maxHistory'>> & ConversationOptions;
  private history: ChatMessage[] = [];
  private turn?: Turn;
  /** When the output was ducked for a possible barge-in (`performance.now()`), if it is. */
  private duckedAt?: number;
  private readonly speeches = new Set<{ ac: AbortController; job: SpeechJob }>();
  private lastFailed?: Float32Array;
  private audible = false;

  constructor(
    private readonly host: SessionHost,
    options: ConversationOptions = {},
  ) {
    this.options = { ...CONVERSATION_DEFAULTS, ...options };
    this.engineCtx = createEngineContext(host);
    this.registry = new EngineRegistry(this.engineCtx, options.registered);
    this.playback = new PlaybackQueue({
      onStart: () => this.setAudible(true),
      onIdle: () => this.setAudible(false),
    });
    this.speaker = new SentenceSpeaker(this.playback, {
      chain: () => this.registry.chain('tts', host.config.tts, { wrap: options.wrap, onFailover: this.failover }),
      language: () => host.config.language,
      voice: () => host.config.voice,
      onError: (e) => host.report(toVoiceError(e, 'engine-failed')),
      maxChars: options.ttsMaxChars,
      onWarning: (message) => {
        console.warn(`<voice-assistant>: ${message}`);
        host.debugLog(message);
      },
    });
    host.addController(this);
  }

  /** What capture should require of speech while the assistant is audible (echo guard). */
  get echoGuard(): EchoGuard {
    const { vadThreshold, bargeIn } = this.host.config;
    const guarded = this.speaking && bargeIn;
    return {
      speaking: this.speaking,
      threshold: guarded ? Math.min(0.95, vadThreshold + 0.25) : vadThreshold,
      minSpeechMs: guarded ? 160 : 0,
    };
  }

  /** Whether the assistant is audible, or between two sentences of an answer. */
  get speaking(): boolean {
    return this.playback.playing || !!this.turn?.job?.audible || [...this.speeches].some((s) => s.job.audible);
  }

  /** One utterance from capture: 16 kHz mono samples; `endedAt` is the VAD's speech end time. */
  async handleUtterance(samples: Float32Array, info: { endedAt?: number } = {}): Promise<void> {
    const config = this.host.config;
    if (this.speaking && !config.bargeIn) {
      // With barge-in off, speech while the assistant talks is most likely its own echo.
      this.host.debugLog('utterance while speaking, barge-in off: ignored');
      return;
    }
    this.cancel();
    const turn: Turn = { ac: new AbortController(), metrics: new TurnMetrics(info.endedAt ?? performance.now()) };
    this.turn = turn;
    const { signal } = turn.ac;
    try {
      this.host.setState('transcribing');
      const chain = this.registry.chain('stt', config.stt, { wrap: this.options.wrap, onFailover: this.failover });
      const grammar = config.mode === 'command' ? config.commands : this.host.grammar.length ? this.host.grammar : undefined;
      const { value, engine } = await chain.run(
        (e, callSignal) => e.transcribe({ audio: samples, sampleRate: 16000, language: config.language, grammar, signal: callSignal }),
        signal,
        // Command mode: a transcript that matches no command goes on to the next engine (an
        // open-vocabulary recogniser often mishears a short command that a grammar gets right).
        config.mode === 'command' ? (v) => !!matchCommand(v.text.trim(), config.commands) : undefined,
      );
      this.lastFailed = undefined;
      turn.metrics.mark('transcript');
      const text = value.text.trim();
      this.host.debugLog('transcript', engine, JSON.stringify(text));
      // Nothing recognised: noise in conversation or dictation, an unknown phrase in command mode
      // (a grammar recogniser answers out-of-grammar speech with an empty transcript).
      if (!text) return config.mode === 'command' ? await this.command(text, turn) : undefined;
      this.host.showTranscript({ who: 'user', text, final: true });
      let answered: ResponderResult | undefined;
      const pageAnswers = config.mode === 'conversation' && config.chat === 'none';
      const latencyMs = Math.round(turn.metrics.at('transcript')! - turn.metrics.at('speechEnd')!);
      this.host.dispatchEvent(
        new VoiceTranscriptEvent({
          text,
          final: true,
          engine,
          latencyMs,
          ...(pageAnswers ? { respond: (a: ResponderResult) => void (answered ??= a) } : {}),
        }),
      );
      if (config.mode === 'dictation' || signal.aborted) return;
      if (config.mode === 'command') return await this.command(text, turn);
      const chat = pageAnswers ? new PageResponder(() => this.host.responder, answered) : undefined;
      if (chat && !chat.ready) return this.host.debugLog('chat="none" and the page gave no responder: no answer');
      await this.answer(text, turn, chat);
    } catch (e) {
      if (signal.aborted) return;
      this.lastFailed = samples;
      this.host.report(toVoiceError(e, 'engine-failed'));
    } finally {
      if (this.turn === turn) {
        this.turn = undefined;
        if (!signal.aborted) this.host.setState(this.resting());
      }
    }
  }

  /**
   * The user started speaking (VAD speech start at `at`). While the assistant is audible and
   * `barge-in` is on, its audio stops now and the answer in flight is aborted. Returns the
   * milliseconds from `at` to silence, or undefined when there was nothing to interrupt.
   */
  bargeIn(at = performance.now()): number | undefined {
    if (!this.host.config.bargeIn || !this.speaking) return undefined;
    // Silent since the onset was ducked, if it was; stopped for good now.
    const stoppedAt = Math.min(this.duckedAt ?? Infinity, this.playback.stop());
    this.duckedAt = undefined;
    const ms = Math.max(0, stoppedAt - at);
    const turn = this.turn;
    if (turn) {
      turn.metrics.bargedIn(ms);
      this.emitMetrics(turn);
    }
    this.cancel();
    this.host.debugLog('barge-in', `${ms.toFixed(1)}ms`);
    return ms;
  }

  /**
   * A frame crossed the VAD threshold while the assistant is audible: silence its output now
   * (`duck(true)`), before the VAD confirms speech; `duck(false)` brings it back when the
   * onset was not confirmed. Only with `barge-in` on.
   */
  duck(on: boolean) {
    if (on && (!this.host.config.bargeIn || !this.speaking || this.duckedAt !== undefined)) return;
    if (!on && this.duckedAt === undefined) return;
    const at = this.playback.duck(on);
    this.duckedAt = on ? at : undefined;
  }

  /** Says `text` now (queued after anything already playing). */
  async speak(text: string): Promise<void> {
    const ac = new AbortController();
    const job = this.speaker.begin(ac.signal);
    const entry = { ac, job };
    this.speeches.add(entry);
    const splitter = new SentenceSplitter();
    [...splitter.push(text), ...splitter.flush()].forEach((s) => job.say(s));
    job.end();
    this.host.showTranscript({ who: 'assistant', text, final: true });
    void job.firstAudio.then((at) => at !== undefined && !ac.signal.aborted && this.host.setState('speaking'));
    try {
      await job.done;
    } finally {
      this.speeches.delete(entry);
      if (!ac.signal.aborted && !this.turn && !this.speaking) this.host.setState(this.resting());
    }
  }

  /** Forgets the conversation history (and stops what is in flight). */
  /**
   * Loads the local recogniser while the user is still silent, when it will be asked first or
   * after a mishearing: in command mode, or with a page grammar. Without this, the first command
   * waits for its download (about 10 MB) and its start.
   */
  async preloadGrammarRecogniser(): Promise<void> {
    const { mode, stt } = this.host.config;
    if (!stt.includes('local') || (mode !== 'command' && !this.host.grammar.length)) return;
    await this.registry.chain('stt', stt).preload(['local']);
  }

  reset(): void {
    this.cancel();
    this.history = [];
    this.lastFailed = undefined;
  }

  /** Sends the last utterance that every engine failed on again. */
  async retry(): Promise<void> {
    const samples = this.lastFailed;
    if (!samples) return this.host.debugLog('retry: nothing failed');
    await this.handleUtterance(samples);
  }

  /** Stops speaking and aborts the turn in flight; history stays. */
  stop(): void {
    this.cancel();
  }

  /** @private */
  hostConnected(): void {}

  /** @private */
  hostDisconnected(): void {
    this.dispose();
  }

  /** Releases the audio context and the engines. Safe to call twice. */
  dispose(): void {
    this.host.removeController(this);
    this.cancel();
    this.playback.dispose();
    this.registry.dispose();
    this.registry = new EngineRegistry(this.engineCtx, this.options.registered);
    this.engineCtx.forgetToken();
  }

  private cancel(): void {
    this.playback.stop();
    this.turn?.ac.abort();
    this.turn = undefined;
    for (const s of this.speeches) s.ac.abort();
    this.speeches.clear();
  }

  private async command(text: string, turn: Turn): Promise<void> {
    const match = text ? matchCommand(text, this.host.config.commands) : undefined;
    if (match) {
      this.host.dispatchEvent(new VoiceCommandEvent({ phrase: match.phrase, text, confidence: match.confidence }));
      return;
    }
    this.host.debugLog('no command matched', JSON.stringify(text));
    turn.job = this.speaker.begin(turn.ac.signal);
    turn.job.say(CONVERSATION_DEFAULTS.notUnderstood);
    turn.job.end();
    this.host.showTranscript({ who: 'note', text: CONVERSATION_DEFAULTS.notUnderstood, final: true });
    void turn.job.firstAudio.then((at) => at !== undefined && !turn.ac.signal.aborted && this.host.setState('speaking'));
    await turn.job.done;
  }

  private async answer(text: string, turn: Turn, page?: ChatEngine): Promise<void> {
    const { signal } = turn.ac;
    const messages = [...this.history, { role: 'user' as const, content: text }];
    this.host.setState('thinking');
    const options = { wrap: this.options.wrap, onFailover: this.failover };
    const chain = page
      ? new EngineChain<ChatEngine>('chat', [{ name: 'page', get: async () => page }], options)
      : this.registry.chain('chat', [this.host.config.chat], options);
    // Failover and breakers apply until the first piece arrives; after that the stream is the answer.
    // The request gets the call's signal (a timeout until the first piece), and its own abort
    // for a stream that stalls later (never retried: the answer has begun).
    const stalled = new AbortController();
    const { value: stream } = await chain.run(async (engine, callSignal) => {
      let it = engine.complete({ messages, signal: AbortSignal.any([callSignal, stalled.signal]) })[Symbol.asyncIterator]();
      if (this.options.stallMs) it = stallGuard(it, this.options.stallMs, () => stalled.abort());
      return { it, first: await it.next() };
    }, signal);
    const job = (turn.job = this.speaker.begin(signal));
    void job.firstAudio.then((at) => {
      if (at === undefined || signal.aborted) return;
      turn.metrics.mark('firstAudio', at);
      this.host.setState('speaking');
    });
    const splitter = new SentenceSplitter();
    let answer = '';
    let line: number | undefined;
    try {
      for (let r = stream.first; !r.done; r = await stream.it.next()) {
        if (signal.aborted) break;
        turn.metrics.mark('firstToken');
        answer += r.value;
        line = this.host.showTranscript({ id: line, who: 'assistant', text: answer, final: false });
        this.host.dispatchEvent(new VoiceResponseEvent({ text: answer, final: false }));
        splitter.push(r.value).forEach((s) => job.say(s));
      }
      if (!signal.aborted) splitter.flush().forEach((s) => job.say(s));
    } finally {
      job.end();
      if (signal.aborted) void stream.it.return?.();
      if (answer) {
        this.host.showTranscript({ id: line, who: 'assistant', text: answer, final: true });
        this.host.dispatchEvent(new VoiceResponseEvent({ text: answer, final: true }));
        this.remember(text, answer);
      }
    }
    await job.done;
    this.emitMetrics(turn);
  }

  private remember(user: string, assistant: string) {
    this.history.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
    const extra = this.history.length - this.options.maxHistory;
    if (extra > 0) this.history.splice(0, extra + (extra % 2));
  }

  private emitMetrics(turn: Turn) {
    const detail = turn.metrics.finish();
    if (!detail) return;
    this.host.debugLog('metrics', detail);
    this.host.dispatchEvent(new VoiceMetricsEvent(detail));
  }

  private setAudible(on: boolean) {
    if (this.audible === on) return;
    this.audible = on;
    if (!on) this.duckedAt = undefined;
    this.options.onSpeakingChange?.(on);
  }

  private resting(): VoiceState {
    return this.options.restingState?.() ?? 'idle';
  }

  private failover = (info: { engine: string; operation: string; error: unknown; next?: string }) =>
    this.host.debugLog(`${info.operation} engine ${info.engine} failed${info.next ? `, trying ${info.next}` : ''}:`, info.error);
}
