// The answer prepared while the user pauses (DESIGN.md section 2, turn-taking), done by the server
// for transport `realtime`, where the client commits only at `silence-ms`: once the appended audio
// has been quiet for SPECULATE_AFTER_MS and the recogniser holds words, the response to those words
// starts in the background, its events held and its first sentence synthesised but not sent. The
// response.create that follows the commit of that buffer adopts it: the held events and the audio
// leave at once, instead of after the final transcript, the answer's first words and Flite. New
// voiced audio, a changed partial, a clear or a commit that asks for no answer drop it, unseen.
import type { ChatMessage } from '../chat/knowledge-responder.ts';
import type { AppContext } from '../context.ts';
import { PROTOCOL_RATE } from './audio.ts';
import { loud } from './partials.ts';
import { RealtimeResponse, type Send } from './response.ts';

/** Quiet audio (appended, ms) after which the answer to the words so far is prepared. */
export const SPECULATE_AFTER_MS = 200;
const QUIET_BYTES = (PROTOCOL_RATE * 2 * SPECULATE_AFTER_MS) / 1000;

/** One speculative response: held until adopted, or dropped without a trace. */
export class Speculation {
  readonly response: RealtimeResponse;
  /** The run's end: its error, if it failed (never rejects, so a dropped one raises nothing). */
  readonly done: Promise<Error | undefined>;
  private held: Record<string, unknown>[] = [];
  private target?: Send;
  /** Adopted, the held events not yet sent: only audio deltas pass. */
  private flushing = false;
  private dropped = false;
  private open!: () => void;
  private flushed!: () => void;

  constructor(
    app: AppContext,
    /** The input item (buffer) whose words it answers, and those words. */
    readonly itemId: string,
    readonly text: string,
    readonly audio: boolean,
    voice: string | undefined,
    messages: Promise<ChatMessage[]>,
    onAudioDelta: (r: RealtimeResponse) => void,
  ) {
    const gate = new Promise<void>((ok) => (this.open = ok));
    const flushed = new Promise<void>((ok) => (this.flushed = ok));
    const send: Send = (e) => {
      if (this.dropped) return;
      if (this.target && (!this.flushing || e.type === 'response.output_audio.delta')) return this.target(e);
      this.held.push(e);
    };
    this.response = new RealtimeResponse(app, send, onAudioDelta, gate);
    const run = messages.then((m) => this.response.run({ audio, voice, messages: m })).then(
      () => undefined,
      (e: Error) => e,
    );
    this.done = Promise.all([run, flushed]).then(([e]) => e);
  }

  /**
   * The response.create came for these words: the audio goes out first (its first delta is sent
   * in the microtask the gate opens, when its sentence is ready), then what was held: the client
   * starts playing without first going through the answer's text deltas.
   */
  adopt(send: Send): void {
    this.target = send;
    this.flushing = true;
    this.open();
    setImmediate(() => {
      for (const e of this.held.splice(0)) send(e);
      this.flushing = false;
      this.flushed();
    });
  }

  /** Not wanted: the work stops, and nothing it made is sent. */
  drop(): void {
    this.dropped = true;
    this.held = [];
    this.response.abort.abort();
    this.open();
    this.flushed();
  }
}

/**
 * When to speculate, for one session: `start` makes the speculation for the buffer's current
 * words (or declines, e.g. while a response is active). A session whose client committed without
 * asking for an answer (dictation) is not speculated for again.
 */
export class Speculator {
  private quietBytes = 0;
  private words = '';
  private current?: Speculation;
  private committed?: Speculation;
  private wantsAnswers = true;

  constructor(private readonly start: (text: string) => Speculation | undefined) {}

  /** A chunk appended to the buffer. */
  audio(pcm: Buffer): void {
    // A commit with no response.create before new audio: the client wants transcripts only.
    if (this.committed) {
      this.committed.drop();
      this.committed = undefined;
      this.wantsAnswers = false;
    }
    if (loud(pcm)) {
      this.quietBytes = 0;
      this.dropCurrent();
      return;
    }
    this.quietBytes += pcm.length;
    this.consider();
  }

  /** The recogniser's words for the buffer so far. */
  partial(text: string): void {
    this.words = text;
    if (this.current && this.current.text !== text) this.dropCurrent();
    this.consider();
  }

  /** The buffer was committed: its speculation waits for the response.create. */
  commit(): void {
    this.committed?.drop();
    this.committed = this.current;
    this.current = undefined;
    this.quietBytes = 0;
    this.words = '';
  }

  /** The buffer was cleared. */
  clear(): void {
    this.dropCurrent();
    this.quietBytes = 0;
    this.words = '';
  }

  /** response.create: the speculation for the committed item `itemId`, when it fits the response. */
  take(itemId: string | undefined, audio: boolean): Speculation | undefined {
    this.wantsAnswers = true;
    const s = this.committed;
    this.committed = undefined;
    if (s && s.itemId === itemId && s.audio === audio) return s;
    s?.drop();
    return undefined;
  }

  close(): void {
    this.committed?.drop();
    this.dropCurrent();
  }

  private consider(): void {
    if (this.current || !this.wantsAnswers || !this.words || this.quietBytes < QUIET_BYTES) return;
    this.current = this.start(this.words);
  }

  private dropCurrent(): void {
    this.current?.drop();
    this.current = undefined;
  }
}
