import type { EnginesController } from '../controllers/engines-controller.js';
import type { PlaybackController } from '../controllers/playback-controller.js';
import type { ChatEngine, ChatMessage, ResponderResult } from '../engines/chat/chat-engine.js';
import { PageResponder } from '../engines/chat/page-responder.js';
import { SentenceSpeaker, type SpeechJob } from '../engines/tts/sentence-speaker.js';
import { SentenceSplitter } from '../engines/tts/sentence-splitter.js';
import { toVoiceError, type VoiceAssistantError } from '../errors.js';
import { VoiceCommandEvent } from '../events/voice-command-event.js';
import { VoiceMetricsEvent } from '../events/voice-metrics-event.js';
import { VoiceResponseEvent } from '../events/voice-response-event.js';
import { VoiceTranscriptEvent } from '../events/voice-transcript-event.js';
import { matchCommand } from '../internal/command-matcher.js';
import { TurnMetrics } from '../internal/turn-metrics.js';
import { RESILIENCE_DEFAULTS } from '../resilience/session-resilience.js';
import { stallGuard } from '../resilience/timeout.js';
import type { SessionHost } from './session-host.js';

export const CONVERSATION_DEFAULTS = { maxHistory: 20, notUnderstood: "Sorry, I didn't catch that command." };

interface Turn {
  readonly ac: AbortController;
  readonly metrics: TurnMetrics;
  job?: SpeechJob;
}

/**
 * The turn of DESIGN.md section 2: utterance -> STT chain -> `voice-transcript` -> (dictation:
 * done | command: `voice-command` | conversation: chat engine or the page -> `voice-response`
 * stream -> sentences -> TTS chain -> playback), with bounded history and `voice-metrics`. A
 * newer utterance supersedes an older turn. It tells the state machine each step it reaches.
 */
export class Conversation {
  /** Question and answer pairs, oldest first, at most `maxHistory` messages. */
  readonly history: ChatMessage[] = [];
  /** The last utterance every engine failed on (`retry()` resends it). */
  lastFailed?: Float32Array;
  private readonly speaker: SentenceSpeaker;
  private turn?: Turn;
  private readonly speeches = new Set<{ ac: AbortController; job: SpeechJob }>();

  constructor(
    private readonly host: SessionHost,
    private readonly engines: EnginesController,
    private readonly playback: PlaybackController,
    private readonly report: (error: VoiceAssistantError) => void,
  ) {
    this.speaker = new SentenceSpeaker(playback.queue, {
      chain: () => engines.chain('tts'),
      language: () => host.config.language,
      voice: () => host.config.voice,
      onError: (e) => report(toVoiceError(e, 'engine-failed')),
      maxChars: RESILIENCE_DEFAULTS.ttsMaxChars,
      onWarning: (message) => {
        console.warn(`<voice-assistant>: ${message}`);
        host.debugLog(message);
      },
    });
  }

  /** Whether the assistant is audible, or between two sentences of an answer. */
  get speaking(): boolean {
    return this.playback.playing || !!this.turn?.job?.audible || [...this.speeches].some((s) => s.job.audible);
  }

  /**
   * One utterance: 16 kHz mono samples. `endedAt` is the VAD's last voiced frame
   * (`performance.now()` time), the start of what `voice-metrics` measures.
   */
  async handleUtterance(samples: Float32Array, info: { endedAt?: number } = {}): Promise<void> {
    const { config, machine } = this.host;
    if (this.speaking && !config.bargeIn) {
      // With barge-in off, speech while the assistant talks is most likely its own echo.
      this.host.debugLog('utterance while speaking, barge-in off: ignored');
      return;
    }
    this.cancel();
    const metrics = new TurnMetrics(info.endedAt ?? performance.now());
    metrics.mark('endpoint');
    const turn: Turn = { ac: new AbortController(), metrics };
    this.turn = turn;
    const { signal } = turn.ac;
    try {
      machine.send('utterance');
      const grammar = config.mode === 'command' ? config.commands : this.host.grammar.length ? this.host.grammar : undefined;
      const { value, engine } = await this.engines.chain('stt').run(
        (e, callSignal) => e.transcribe({ audio: samples, sampleRate: 16000, language: config.language, grammar, signal: callSignal }),
        signal,
        // Command mode: a transcript that matches no command goes on to the next engine (an
        // open-vocabulary recogniser often mishears a short command that a grammar gets right).
        config.mode === 'command' ? (v) => !!matchCommand(v.text.trim(), config.commands) : undefined,
      );
      this.lastFailed = undefined;
      metrics.mark('transcript');
      const text = value.text.trim();
      this.host.debugLog('transcript', engine, JSON.stringify(text));
      // Nothing recognised: noise in conversation or dictation, an unknown phrase in command mode
      // (a grammar recogniser answers out-of-grammar speech with an empty transcript).
      if (!text) return config.mode === 'command' ? await this.command(text, turn) : undefined;
      this.host.showTranscript({ who: 'user', text, final: true });
      let answered: ResponderResult | undefined;
      const pageAnswers = config.mode === 'conversation' && config.chat === 'none';
      const latencyMs = Math.round(metrics.at('transcript')! - metrics.at('speechEnd')!);
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
      this.report(toVoiceError(e, 'engine-failed'));
    } finally {
      if (this.turn === turn) {
        this.turn = undefined;
        if (!signal.aborted) machine.send('done');
      }
    }
  }

  /**
   * The user interrupted the assistant (barge-in): the turn records how long its audio took to
   * stop (`bargeInMs` of `voice-metrics`), then everything in flight is aborted.
   */
  interrupt(ms: number): void {
    const turn = this.turn;
    if (turn) {
      turn.metrics.bargedIn(ms);
      this.emitMetrics(turn);
    }
    this.cancel();
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
    this.soundOn(job, ac.signal);
    try {
      await job.done;
    } finally {
      this.speeches.delete(entry);
      if (!ac.signal.aborted && !this.turn && !this.speaking) this.host.machine.send('done');
    }
  }

  /**
   * Loads the local recogniser while the user is still silent, when it will be asked first or
   * after a mishearing: in command mode, or with a page grammar. Without this, the first command
   * waits for its download (about 10 MB) and its start.
   */
  async preloadGrammarRecogniser(): Promise<void> {
    const { mode, stt } = this.host.config;
    if (!stt.includes('local') || (mode !== 'command' && !this.host.grammar.length)) return;
    await this.engines.preload('stt', ['local']);
  }

  /** Forgets the conversation history (and stops what is in flight). */
  reset(): void {
    this.cancel();
    this.history.length = 0;
    this.lastFailed = undefined;
  }

  /** Sends the last utterance that every engine failed on again. */
  async retry(): Promise<void> {
    const samples = this.lastFailed;
    if (!samples) return this.host.debugLog('retry: nothing failed');
    await this.handleUtterance(samples);
  }

  /** Stops speaking and aborts the turn in flight; history stays. */
  cancel(): void {
    this.playback.queue.stop();
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
    const job = (turn.job = this.speaker.begin(turn.ac.signal));
    job.say(CONVERSATION_DEFAULTS.notUnderstood);
    job.end();
    this.host.showTranscript({ who: 'note', text: CONVERSATION_DEFAULTS.notUnderstood, final: true });
    this.soundOn(job, turn.ac.signal);
    await job.done;
  }

  private async answer(text: string, turn: Turn, page?: ChatEngine): Promise<void> {
    const { signal } = turn.ac;
    const messages = [...this.history, { role: 'user' as const, content: text }];
    this.host.machine.send('transcript');
    const chain = page ? this.engines.only('chat', page) : this.engines.chain('chat');
    // Failover and breakers apply until the first piece arrives; after that the stream is the answer.
    // The request gets the call's signal (a timeout until the first piece), and its own abort
    // for a stream that stalls later (never retried: the answer has begun).
    const stalled = new AbortController();
    const stallMs = RESILIENCE_DEFAULTS.stallMs;
    const { value: stream } = await chain.run(async (engine, callSignal) => {
      let it = engine.complete({ messages, signal: AbortSignal.any([callSignal, stalled.signal]) })[Symbol.asyncIterator]();
      if (stallMs) it = stallGuard(it, stallMs, () => stalled.abort());
      return { it, first: await it.next() };
    }, signal);
    const job = (turn.job = this.speaker.begin(signal));
    this.soundOn(job, signal, turn.metrics);
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

  /** The first sound of `job` puts the element in `speaking` (and marks the turn's metrics). */
  private soundOn(job: SpeechJob, signal: AbortSignal, metrics?: TurnMetrics) {
    void job.firstAudio.then((at) => {
      if (at === undefined || signal.aborted) return;
      metrics?.mark('firstAudio', at);
      this.host.machine.send('audio');
    });
  }

  private remember(user: string, assistant: string) {
    this.history.push({ role: 'user', content: user }, { role: 'assistant', content: assistant });
    const extra = this.history.length - CONVERSATION_DEFAULTS.maxHistory;
    if (extra > 0) this.history.splice(0, extra + (extra % 2));
  }

  private emitMetrics(turn: Turn) {
    const detail = turn.metrics.finish();
    if (!detail) return;
    this.host.debugLog('metrics', detail);
    this.host.dispatchEvent(new VoiceMetricsEvent(detail));
  }
}
