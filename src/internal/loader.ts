import { VoiceAssistantError } from '../errors.js';
import { retry } from '../resilience/retry.js';

/** Download progress of one large asset, for the panel's progress bar. */
export interface Progress {
  label: string;
  loaded: number;
  total: number;
}

const chunks = new Map<string, Promise<unknown>>();

/**
 * The one way heavy code is reached: a memoised dynamic import, retried with backoff and
 * jitter. A failed load is forgotten so that the next activation tries again (Chromium
 * re-fetches a dynamic import whose earlier fetch failed).
 */
export function loadChunk<T>(key: string, importer: () => Promise<T>): Promise<T> {
  let p = chunks.get(key) as Promise<T> | undefined;
  if (!p) {
    p = retry(importer, { attempts: 5, baseMs: 200 }).catch((e: unknown) => {
      chunks.delete(key);
      throw new VoiceAssistantError('asset-load', `Could not load the ${key} code; check the network and try again.`, true, { cause: e });
    });
    chunks.set(key, p);
  }
  return p;
}
