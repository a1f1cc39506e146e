import { openDB, type IDBPDatabase } from 'idb';
import type { Operation } from '../config/operation.js';
import type { RateLimits, RateWindow } from '../config/rate-limit.js';
import { BucketStore, MemoryBucketStore, type Bucket } from './bucket-store.js';

export type RateDecision = { ok: true } | { ok: false; retryAfterMs: number };

export interface RateLimiterOptions {
  /** The budget, or a getter so that a changed `rate-limit` attribute applies at once. */
  limits: RateLimits | (() => RateLimits);
  /** IndexedDB database name; `false` keeps the buckets in memory (this page only). */
  database?: string | false;
  now?: () => number;
  debug?: (...args: unknown[]) => void;
}

const STORE = 'buckets';

/** The bucket of one window of one operation, refilled up to `now`. */
function refill(w: RateWindow, b: Bucket | undefined, now: number): Bucket {
  if (!b) return { tokens: w.limit, at: now };
  const elapsed = Math.max(0, now - b.at);
  return { tokens: Math.min(w.limit, b.tokens + (elapsed * w.limit) / w.windowMs), at: now };
}

const keyOf = (op: Operation, w: RateWindow) => `${op}:${w.limit}/${w.windowMs}`;

/**
 * Client-side budget per operation (the `rate-limit` attribute): one token bucket per window
 * (`limit` tokens, refilled continuously at `limit / windowMs`), and a call needs a token from
 * every window of its operation. The buckets live in IndexedDB, so a reload does not refill
 * them, and every tab of the origin draws from the same ones: each decision is one readwrite
 * transaction, and IndexedDB runs readwrite transactions on the same store one after another
 * across tabs (IndexedDB 3.0, "transaction scheduling"), which is the lock a read-modify-write
 * needs. A full bucket is deleted rather than stored, so storage holds at most one small record
 * per window that is being spent. Nothing here touches the network.
 * @example
 * const limiter = new RateLimiter({ limits: parseRateLimits('stt=3/min')! });
 * const d = await limiter.tryAcquire('stt');
 * if (!d.ok) console.log(`try again in ${d.retryAfterMs} ms`);
 */
export class RateLimiter {
  private store?: Promise<BucketStore>;
  private db?: IDBPDatabase;
  private generation = 0;

  constructor(private readonly o: RateLimiterOptions) {}

  private get limits(): RateLimits {
    return typeof this.o.limits === 'function' ? this.o.limits() : this.o.limits;
  }

  private now(): number {
    return this.o.now?.() ?? Date.now();
  }

  /** Takes one token from every window of `op`, or says how long until that is possible. */
  async tryAcquire(op: Operation): Promise<RateDecision> {
    const windows = this.limits[op];
    if (!windows.length) return { ok: true };
    const store = await this.open();
    const now = this.now();
    let decision: RateDecision = { ok: true };
    await store.update(
      windows.map((w) => keyOf(op, w)),
      (stored) => {
        const buckets = windows.map((w, i) => refill(w, stored[i], now));
        const waits = windows.map((w, i) => (buckets[i]!.tokens >= 1 ? 0 : Math.ceil(((1 - buckets[i]!.tokens) * w.windowMs) / w.limit)));
        const wait = Math.max(...waits);
        if (wait > 0) {
          decision = { ok: false, retryAfterMs: wait };
          return undefined;
        }
        return buckets.map((b) => ({ tokens: b.tokens - 1, at: b.at }));
      },
    );
    return decision;
  }

  /** Gives back a token that was not used (the call was refused before it was sent). */
  async refund(op: Operation): Promise<void> {
    const windows = this.limits[op];
    if (!windows.length) return;
    const store = await this.open();
    const now = this.now();
    await store.update(
      windows.map((w) => keyOf(op, w)),
      (stored) => windows.map((w, i) => {
        const b = refill(w, stored[i], now);
        return { tokens: Math.min(w.limit, b.tokens + 1), at: now };
      }),
    );
  }

  /** How many buckets are stored now (storage stays bounded: full buckets are not kept). */
  async stored(): Promise<number> {
    return (await this.open()).size();
  }

  /** Closes the IndexedDB connection; a later call opens it again. */
  close(): void {
    this.db?.close();
    this.db = undefined;
    this.store = undefined;
    this.generation++;
  }

  private open(): Promise<BucketStore> {
    this.store ??= this.openStore();
    return this.store;
  }

  private async openStore(): Promise<BucketStore> {
    const name = this.o.database ?? 'voice-assistant-rate-limits';
    if (name === false || typeof indexedDB === 'undefined') return new MemoryBucketStore(this.limitsFull());
    const generation = this.generation;
    try {
      const db = await openDB(name, 1, {
        upgrade: (d) => void d.createObjectStore(STORE),
        // A newer version of the widget in another tab wants to upgrade: get out of its way.
        blocking: () => this.close(),
        terminated: () => this.close(),
      });
      if (generation !== this.generation) {
        // Closed while opening (the element went away): do not keep the connection.
        db.close();
        return new MemoryBucketStore(this.limitsFull());
      }
      this.db = db;
      const store = new BucketStore(db, STORE, this.limitsFull());
      await store.sweep(this.now()).catch(() => {});
      return store;
    } catch (e) {
      // Private modes and storage policies may refuse IndexedDB; a per-page budget is still a budget.
      this.o.debug?.('rate limiter: IndexedDB unavailable, keeping the budget in memory', e);
      return new MemoryBucketStore(this.limitsFull());
    }
  }

  /** Whether a stored bucket is full (and so need not be stored), judged from its key. */
  private limitsFull(): (key: string, b: Bucket, now: number) => boolean {
    return (key, b, now) => {
      const m = /:(\d+)\/(\d+)$/.exec(key);
      if (!m) return true;
      return refill({ limit: Number(m[1]), windowMs: Number(m[2]) }, b, now).tokens >= Number(m[1]);
    };
  }
}
