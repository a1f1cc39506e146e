import { VoiceAssistantError } from '../errors.js';

/**
 * Runs `work` with a signal that aborts when the caller's `signal` does or after `ms`. A timeout
 * becomes a VoiceAssistantError with code `timeout`; the caller's own abort is rethrown as is
 * (an abort is a decision, not a failure). The timer stops when `work` settles, so what `work`
 * started with the signal may outlive it (a chat stream whose first token came in time).
 * @example
 * const res = await withTimeout((s) => fetch(url, { signal: s }), { ms: 15_000, signal, what: 'Transcription' });
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  o: { ms: number; signal?: AbortSignal; what?: string },
): Promise<T> {
  o.signal?.throwIfAborted();
  if (!(o.ms > 0) || o.ms === Infinity) return work(o.signal ?? new AbortController().signal);
  const timer = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, timer.signal]) : timer.signal;
  const id = setTimeout(() => timer.abort(new DOMException(`${o.what ?? 'The request'} timed out`, 'TimeoutError')), o.ms);
  try {
    // Racing against the signal too: `work` may ignore it, and a hung promise must still end.
    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work(signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (e) {
    if (timer.signal.aborted && !o.signal?.aborted) {
      throw new VoiceAssistantError('timeout', `${o.what ?? 'The request'} took longer than ${o.ms} ms.`, true, { cause: e });
    }
    throw e;
  } finally {
    clearTimeout(id);
  }
}

/** An async iterator under a stall guard; `kick()` says the source is alive without an item. */
export interface StallGuarded<T> extends AsyncIterator<T> {
  kick(): void;
}

/**
 * An async iterator that gives up when its source shows no sign of life for `ms` (a stream that
 * stalls mid-way): `onStall` is called (abort the request there) and the pending `next()` rejects
 * with a `timeout` error. Signs of life are items and `kick()`s; the guard watches only once the
 * first of them came (before that, the caller's own timeout is in charge).
 */
export function stallGuard<T>(it: AsyncIterator<T>, ms: number, onStall: () => void, what = 'The answer'): StallGuarded<T> {
  let alive = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let fail: ((e: unknown) => void) | undefined;
  const arm = () => {
    clearTimeout(timer);
    if (!alive || !fail) return;
    const reject = fail;
    timer = setTimeout(() => {
      onStall();
      reject(new VoiceAssistantError('timeout', `${what} stopped arriving for ${ms} ms.`, true));
    }, ms);
  };
  return {
    kick() {
      alive = true;
      arm();
    },
    next: () =>
      new Promise<IteratorResult<T>>((resolve, reject) => {
        fail = reject;
        arm();
        // Disarmed before the caller hears of the result: its next call arms a timer of its own.
        const settle = () => {
          if (fail === reject) fail = undefined;
          clearTimeout(timer);
        };
        it.next().then(
          (r) => {
            alive = true;
            settle();
            resolve(r);
          },
          (e: unknown) => {
            settle();
            reject(e);
          },
        );
      }),
    return: (v?: unknown) => it.return?.(v as never) ?? Promise.resolve({ done: true, value: undefined as never }),
  };
}
