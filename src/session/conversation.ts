import type { EnginesController } from '../controllers/engines-controller.js';
import type { PlaybackController } from '../controllers/playback-controller.js';
import type { ChatEngine, ResponderResult } from '../engines/chat/chat-engine.js';
import { openAnswer } from '../engines/chat/answer-stream.js';
import { PageResponder } from '../engines/chat/page-responder.js';
import { SentenceSpeaker, type SpeechJob } from '../engines/tts/sentence-speaker.js';
import { SentenceSplitter } from '../engines/tts/sentence-splitter.js';
import { toVoiceError, type VoiceAssistantError } from '../errors.js';
import { VoiceCommandEvent } from '../events/voice-command-event.js';
import { VoiceMetricsEvent, type VoiceMetricsDetail } from '../events/voice-metrics-event.js';
import { VoiceResponseEvent } from '../events/voice-response-event.js';
import { VoiceTranscriptEvent } from '../events/voice-transcript-event.js';
import { matchCommand } from '../internal/command-matcher.js';
import { RESILIENCE_DEFAULTS } from '../resilience/session-resilience.js';
import type { SessionHost } from './session-host.js';
import { ConversationHistory } from './conversation-history.js';
import { transcribe } from './transcribe.js';
import { Turn } from './turn.js';

export const CONVERSATION_DEFAULTS = { maxHistory: 20, notUnderstood: "Sorry, I didn't catch that command." };

/**
 * The turn of DESIGN.md section 2: utterance -> STT chain -> `voice-transcript` -> (dictation:
 * done | command: `voice-command` | conversation: chat engine or the page -> `voice-response`
 * stream -> sentences -> TTS chain -> playback), with bounded history and `voice-metrics`. A
 * newer utterance supersedes an older turn. It tells the state machine each step it reaches.
 */
export class Conversation {
  /** Question and answer pairs, oldest first, at most `maxHistory` messages. */
  readonly history = new ConversationHistory(CONVERSATION_DEFAULTS.maxHistory);
  /** The last utterance every engine failed on (`retry()` resends it). */
  lastFailed?: Float32Array;
  private readonly speaker: SentenceSpeaker;
  private turn?: Turn;
  private readonly speeches = new Set<{ ac: AbortController; job: SpeechJob }>();
  /** Told of a barge-in (transport `realtime`: the server's response is cancelled too). */
  onInterrupt?: (ms: number) => void;
  /** The panel line captioning what the user is saying (partial transcripts), until their final line. */
  private captionLine?: number;

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
      muted: () => !!host.muted,
      onWarning: (message) => {
        console.warn(`<voice-assistant>: ${message}`);
        host.debugLog(message);
      },
    });
  }

  /** Shows (or updates) the live caption of the user's speech: a partial transcript. */
  caption(text: string): void {
    this.captionLine = this.host.showTranscript({ id: this.captionLine, who: 'user', text, final: false });
  }

  /** Keeps the user's line in its place (before the answer) while their transcript is still to come. */
  holdPlace(): void {
    if (this.captionLine === undefined) this.caption('…');
  }

  /**
   * The user's final line, in place of their live caption if there is one; empty text removes
   * the caption (nothing was recognised after all).
   */
  said(text: string): number {
    const id = this.host.showTranscript({ id: this.captionLine, who: 'user', text, final: true });
    this.captionLine = undefined;
    return id;
  }

  /** Whether the assistant is audible, or between two sentences of an answer. */
  get speaking(): boolean {
    return this.playback.playing || !!this.turn?.job?.audible || [...this.speeches].some((s) => s.job.audible);
  }

  /**
   * One utterance: 16 kHz mono samples. `endedAt` is the VAD's last voiced frame
   * (`performance.now()` time), the start of what `voice-metrics` measures.
   */
  handleUtterance(samples: Float32Array, info: { endedAt?: number } = {}): Promise<void> {
    return this.begin(samples, info.endedAt, true);
  }

  /**
   * The user paused (DESIGN.md section 2, turn-taking): the utterance so far is transcribed, and
   * in conversation mode with a chat engine answered and its first sentences synthesised, while
   * nothing is shown, fired or played until `commit()` (or dropped by `dropSpeculation()`).
   */
  speculate(samples: Float32Array, info: { endedAt?: number } = {}): void {
    void this.begin(samples, info.endedAt, false);
  }

  /** The utterance ended: the turn prepared for it goes ahead, or a new one starts. */
  commit(samples: Float32Array, info: { endedAt?: number } = {}): Promise<void> {
    const turn = this.turn;
    if (!turn?.speculative || turn.samples.length !== samples.length) {
      this.dropSpeculation();
      return this.handleUtterance(samples, info);
    }
    this.host.debugLog('speculative turn committed');
    turn.commit();
    return turn.done;
  }

  /** The user went on speaking after a pause: what was prepared is dropped without a trace. */
  dropSpeculation(): void {
    const turn = this.turn;
    if (!turn?.speculative) return;
    this.host.debugLog('speculative turn dropped');
    this.turn = undefined;
    turn.abort();
  }

  /**
   * A typed message (the panel's text field, `send()`): the same turn as a spoken one from the
   * transcript on (event, caption, answer, speech unless muted), with no audio and no recogniser.
   */
  send(text: string): Promise<void> {
    return this.begin(new Float32Array(0), undefined, true, text);
  }

  private begin(samples: Float32Array, endedAt: number | undefined, committed: boolean, typed?: string): Promise<void> {
    if (typed === undefined && this.speaking && !this.host.config.bargeIn) {
      // With barge-in off, speech while the assistant talks is most likely its own echo.
      this.host.debugLog('utterance while speaking, barge-in off: ignored');
      return Promise.resolve();
    }
    this.cancel();
    const turn = (this.turn = new Turn(samples, endedAt, typed));
    turn.done = this.run(turn);
    if (committed) turn.commit();
    return turn.done;
  }

  private async run(turn: Turn): Promise<void> {
    const { config, machine } = this.host;
    const { signal, metrics, samples } = turn;
    try {
      const { value, engine } = turn.typed === undefined ? await transcribe(this.host, this.engines, turn) : { value: { text: turn.typed }, engine: 'text' };
      if (samples.length) this.lastFailed = undefined;
      metrics.mark('transcript');
      const text = value.text.trim();
      this.host.debugLog('transcript', engine, JSON.stringify(text));
      const pageAnswers = config.mode === 'conversation' && config.chat === 'none';
      // Only a chat engine's answer is prepared ahead: the page, dictation and commands act on
      // the transcript event, which waits for the end of the turn.
      if (!text || pageAnswers || config.mode !== 'conversation') await turn.committed;
      if (!text) this.said('');
      // Nothing recognised: noise in conversation or dictation, an unknown phrase in command mode
      // (a grammar recogniser answers out-of-grammar speech with an empty transcript).
      if (!text) return config.mode === 'command' ? await this.command(text, turn) : undefined;
      let answered: ResponderResult | undefined;
      const latencyMs = Math.round(metrics.at('transcript')! - metrics.at('speechEnd')!);
      turn.whenCommitted(() => {
        this.said(text);
        this.host.dispatchEvent(
          new VoiceTranscriptEvent({
            text,
            final: true,
            engine,
            latencyMs,
            ...(pageAnswers ? { respond: (a: ResponderResult) => void (answered ??= a) } : {}),
          }),
        );
      });
      if (config.mode === 'dictation' || signal.aborted) return;
      if (config.mode === 'command') return await this.command(text, turn);
      const chat = pageAnswers ? new PageResponder(() => this.host.responder, answered) : undefined;
      if (chat && !chat.ready) return this.host.debugLog('chat="none" and the page gave no responder: no answer');
      await this.answer(text, turn, chat);
    } catch (e) {
      if (signal.aborted) return;
      // A failure while the user pauses is told only if the turn goes ahead.
      if (!(await turn.committed.then(() => true, () => false))) return;
      if (samples.length) this.lastFailed = samples;
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
    this.onInterrupt?.(ms);
    const turn = this.turn;
    if (turn) {
      turn.metrics.bargedIn(ms);
      this.emitMetrics(turn.metrics.finish() ?? turn.metrics.interrupted());
    }
    this.cancel();
  }

  /** Says `text` now (queued after anything already playing). */
  async speak(text: string): Promise<void> {
    const ac = new AbortController();
    const entry = { ac, job: this.speaker.begin(ac.signal) };
    const { job } = entry;
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

  /** Forgets the conversation history (and stops what is in flight). */
  reset(): void {
    this.cancel();
    this.history.clear();
    this.lastFailed = undefined;
  }

  /** Sends the last utterance that every engine failed on again. */
  async retry(): Promise<void> {
    if (!this.lastFailed) return this.host.debugLog('retry: nothing failed');
    await this.handleUtterance(this.lastFailed);
  }

  /** Stops speaking and aborts the turn in flight; history stays. */
  cancel(): void {
    this.playback.queue.stop();
    this.turn?.abort();
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
    turn.whenCommitted(() => this.host.machine.send('transcript'));
    const chain = page ? this.engines.only('chat', page) : this.engines.chain('chat');
    const stream = await openAnswer(chain, messages, signal, RESILIENCE_DEFAULTS.stallMs);
    // Sentences are synthesised as they come; they play once the turn is committed.
    const job = (turn.job = this.speaker.begin(signal, { hold: turn.committed.catch(() => undefined) }));
    // A typed turn has no speech end, so no turn timings (they would read as instant).
    this.soundOn(job, signal, turn.typed === undefined ? turn : undefined);
    const splitter = new SentenceSplitter();
    let answer = '';
    let line: number | undefined;
    try {
      for (let r = stream.first; !r.done; r = await stream.it.next()) {
        if (signal.aborted) break;
        turn.metrics.mark('firstToken');
        answer += r.value;
        const sofar = answer;
        turn.whenCommitted(() => {
          line = this.host.showTranscript({ id: line, who: 'assistant', text: sofar, final: false });
          this.host.dispatchEvent(new VoiceResponseEvent({ text: sofar, final: false }));
        });
        splitter.push(r.value).forEach((s) => job.say(s));
      }
      if (!signal.aborted) splitter.flush().forEach((s) => job.say(s));
    } finally {
      job.end();
      if (signal.aborted) void stream.it.return?.();
      if (answer) {
        turn.whenCommitted(() => {
          this.host.showTranscript({ id: line, who: 'assistant', text: answer, final: true });
          this.host.dispatchEvent(new VoiceResponseEvent({ text: answer, final: true }));
          this.history.add(text, answer);
        });
      }
    }
    await job.done;
  }

  /**
   * The first sound of `job` puts the element in `speaking`; for an answer it also completes the
   * turn's timings, and `voice-metrics` fires then (not when the answer ends).
   */
  private soundOn(job: SpeechJob, signal: AbortSignal, turn?: Turn) {
    void job.firstAudio.then((at) => {
      if (at === undefined || signal.aborted) return;
      this.host.machine.send('audio');
      if (!turn) return;
      turn.metrics.mark('firstAudio', at);
      this.emitMetrics(turn.metrics.finish());
    });
  }

  private emitMetrics(detail: VoiceMetricsDetail | undefined) {
    if (!detail) return;
    this.host.debugLog('metrics', detail);
    this.host.dispatchEvent(new VoiceMetricsEvent(detail));
  }
}
