import type { SpeechJob } from '../engines/tts/sentence-speaker.js';
import { TurnMetrics } from '../internal/turn-metrics.js';
import { SPECULATION_DROPPED } from '../resilience/call-guard.js';

/**
 * One turn of the conversation: an utterance and everything done for it, under one abort.
 * A turn starts either committed (the utterance ended) or held (prepared during a pause of the
 * user, DESIGN.md section 2): a held turn does its work but keeps what the page may see (events,
 * panel lines, state changes, sound) until `commit()`; `drop()` throws it all away.
 */
export class Turn {
  readonly ac = new AbortController();
  readonly metrics: TurnMetrics;
  /** The answer's speech, once it has begun. */
  job?: SpeechJob;
  /** The whole turn's work, settled when it is over (or aborted). */
  done: Promise<void> = Promise.resolve();
  /** Resolves at the commit; rejects when the turn is aborted or dropped. */
  readonly committed: Promise<void>;
  private release!: () => void;
  private held: (() => void)[] | undefined = [];

  constructor(
    readonly samples: Float32Array,
    /** The VAD's last voiced frame (`performance.now()` time). */
    endedAt = performance.now(),
    /** A typed message: the turn's transcript is given, nothing is transcribed. */
    readonly typed?: string,
  ) {
    this.metrics = new TurnMetrics(endedAt);
    this.committed = new Promise<void>((resolve, reject) => {
      this.release = resolve;
      this.ac.signal.addEventListener('abort', () => reject(this.ac.signal.reason), { once: true });
    });
    this.committed.catch(() => undefined);
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  /** Whether the turn is still held (speculative). */
  get speculative(): boolean {
    return !!this.held;
  }

  /** Runs `f` now if the turn is committed, else at the commit (never, if the turn is dropped). */
  whenCommitted(f: () => void): void {
    if (this.held) this.held.push(f);
    else f();
  }

  /** The turn goes ahead: the end of the turn is now, and what was held happens in order. */
  commit(): void {
    const queued = this.held;
    if (!queued) return;
    this.held = undefined;
    this.metrics.mark('endpoint');
    this.release();
    queued.forEach((f) => f());
  }

  /** Stops everything of the turn; a speculative turn's calls go back to the budget. */
  abort(): void {
    this.ac.abort(this.held ? SPECULATION_DROPPED : undefined);
  }
}
