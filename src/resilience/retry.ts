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
      const delay = backoffMs(attempt, o.baseMs, o.maxMs);
      o.onRetry?.(e, attempt + 1, delay);
      await sleep(delay, o.signal);
    }
  }
}
