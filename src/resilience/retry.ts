import { retryAfterMsOf } from './retry-after.js';

/** Options for `retry`: attempts in all (first try included) and the backoff curve. */
export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  signal?: AbortSignal;
  /** Decides whether an error is worth another try; default: always. */
  retryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log or count retries. */
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /**
   * An error that carries `retryAfterMs` (a 429 or 503 with `Retry-After`) is retried no sooner
   * than that; when the server asks for more than this (default 10 s), waiting is worse than
   * failing over to the next engine, so the error is thrown at once.
   */
  maxRetryAfterMs?: number;
  /** For tests: the source of jitter. */
  random?: () => number;
}

/** Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"). */
export const backoffMs = (attempt: number, baseMs = 250, maxMs = 4000, random = Math.random) =>
  Math.round(random() * Math.min(maxMs, baseMs * 2 ** attempt));

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });

/** Runs `fn` until it succeeds, the attempts run out, the error is not retryable, or the signal aborts. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const attempts = o.attempts ?? 4;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt + 1 >= attempts || o.signal?.aborted || (o.retryable && !o.retryable(e))) throw e;
      const asked = retryAfterMsOf(e);
      if (asked !== undefined && asked > (o.maxRetryAfterMs ?? 10_000)) throw e;
      const delay = Math.max(asked ?? 0, backoffMs(attempt, o.baseMs, o.maxMs, o.random));
      o.onRetry?.(e, attempt + 1, delay);
      await sleep(delay, o.signal);
    }
  }
}
