import { VoiceAssistantError } from '../errors.js';

/**
 * Runs `work` with a signal that aborts when the caller's `signal` does or after `ms`. A timeout
 * becomes a VoiceAssistantError with code `timeout`; the caller's own abort is rethrown as is
 * (an abort is a decision, not a failure).
 * @example
 * const res = await withTimeout((s) => fetch(url, { signal: s }), { ms: 15_000, signal, what: 'Transcription' });
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  o: { ms: number; signal?: AbortSignal; what?: string },
): Promise<T> {
  o.signal?.throwIfAborted();
  if (!(o.ms > 0) || o.ms === Infinity) return work(o.signal ?? new AbortController().signal);
  const timer = AbortSignal.timeout(o.ms);
  const signal = o.signal ? AbortSignal.any([o.signal, timer]) : timer;
  try {
    // Racing against the signal too: `work` may ignore it, and a hung promise must still end.
    return await new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work(signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  } catch (e) {
    if (timer.aborted && !o.signal?.aborted) {
      throw new VoiceAssistantError('timeout', `${o.what ?? 'The request'} took longer than ${o.ms} ms.`, true, { cause: e });
    }
    throw e;
  }
}
