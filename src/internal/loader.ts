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

/**
 * Fetches an asset with retries, reporting progress while the body streams in. Responses
 * come from the HTTP cache when they can (`force-cache`), so a second activation does not
 * download again.
 */
export function fetchAsset(url: string, label: string, onProgress?: (p: Progress) => void, signal?: AbortSignal) {
  return retry(
    async () => {
      const res = await fetch(url, { signal, cache: 'force-cache', credentials: 'omit' });
      if (!res.ok || !res.body) throw new Error(`${res.status} ${res.statusText} for ${url}`);
      const total = Number(res.headers.get('content-length')) || 0;
      const parts: Uint8Array[] = [];
      let loaded = 0;
      for (const reader = res.body.getReader(); ; ) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        loaded += value.byteLength;
        onProgress?.({ label, loaded, total });
      }
      const out = new Uint8Array(loaded);
      let at = 0;
      for (const part of parts) out.set(part, (at += part.byteLength) - part.byteLength);
      return out.buffer;
    },
    { attempts: 4, baseMs: 300, signal },
  ).catch((e: unknown) => {
    throw new VoiceAssistantError('asset-load', `Could not download ${label} (${url}).`, true, { cause: e });
  });
}
