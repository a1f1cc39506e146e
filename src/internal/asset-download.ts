import { VoiceAssistantError } from '../errors.js';
import { retry } from '../resilience/retry.js';
import type { Progress } from './loader.js';
import { expected, fromCache, integrityError, matches, toCache, warnUnverified } from './verified-asset.js';

export interface AssetRequest {
  onProgress?: (p: Progress) => void;
  signal?: AbortSignal;
  /** The file's path relative to the asset folder: its key in the build's asset manifest. */
  name?: string;
}

/**
 * Fetches a large asset (a model, a wasm) the way a first visit on a poor link needs: with
 * retries, progress, and a cut download resumed with `Range` rather than started over. With
 * `name`, the bytes are checked against the build's manifest (SHA-256): a copy kept in Cache
 * Storage by an earlier visit is used without the network, a mismatch is fetched once more from
 * the server itself and then refused (`asset-integrity`), and what was verified is kept.
 */
export async function fetchAsset(url: string, label: string, o: AssetRequest = {}): Promise<ArrayBuffer> {
  const entry = o.name && url.endsWith(o.name) ? await expected(url.slice(0, url.length - o.name.length), o.name) : undefined;
  if (entry) {
    const kept = await fromCache(url, entry);
    if (kept) {
      o.onProgress?.({ label, loaded: entry.size, total: entry.size });
      return kept;
    }
  }
  let bytes = await download(url, label, o, 'force-cache');
  if (entry && !(await matches(bytes, entry))) {
    // A corrupted HTTP cache entry or a bad edge: once more from the origin, then refuse it.
    bytes = await download(url, label, o, 'reload');
    if (!(await matches(bytes, entry))) throw integrityError(label, url, entry);
  }
  if (entry) void toCache(url, entry, bytes);
  else if (o.name) warnUnverified(url);
  return bytes;
}

function download(url: string, label: string, o: AssetRequest, cache: RequestCache): Promise<ArrayBuffer> {
  const parts: Uint8Array[] = [];
  let loaded = 0;
  let total = 0;
  return retry(
    async () => {
      // After a cut, only the rest; a server that ignores Range answers 200 with all of it.
      const res = await fetch(url, {
        signal: o.signal,
        cache: loaded ? 'no-store' : cache,
        credentials: 'omit',
        ...(loaded ? { headers: { Range: `bytes=${loaded}-` } } : {}),
      });
      if (!res.ok || !res.body) throw new Error(`${res.status} ${res.statusText} for ${url}`);
      if (res.status !== 206) {
        parts.length = 0;
        loaded = 0;
        total = Number(res.headers.get('content-length')) || 0;
      }
      for (const reader = res.body.getReader(); ; ) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        loaded += value.byteLength;
        o.onProgress?.({ label, loaded, total: Math.max(total, loaded) });
      }
      const out = new Uint8Array(loaded);
      let at = 0;
      for (const part of parts) out.set(part, (at += part.byteLength) - part.byteLength);
      return out.buffer;
    },
    { attempts: 4, baseMs: 300, signal: o.signal },
  ).catch((e: unknown) => {
    throw new VoiceAssistantError('asset-load', `Could not download ${label} (${url}).`, true, { cause: e });
  });
}
