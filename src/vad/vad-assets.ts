import { fetchAsset } from '../internal/asset-download.js';
import type { Progress } from '../internal/loader.js';

/** Files of the VAD in the asset folder (copied into dist/ by vite.config.ts). */
export const VAD_MODEL = 'silero_vad_v5.onnx';
export const ORT_WASM = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];

const models = new Map<string, Promise<ArrayBuffer>>();
const warmed = new Map<string, Promise<void>>();

/**
 * The Silero model's bytes, downloaded once per page and asset folder (2.3 MB, with progress).
 * Each VAD worker gets a copy, so a later start needs no download; a failed download is
 * forgotten so that the next start tries again.
 */
export function loadVadModel(assetFolder: string, onProgress?: (p: Progress | null) => void): Promise<ArrayBuffer> {
  const url = new URL(VAD_MODEL, assetFolder).href;
  let p = models.get(url);
  if (!p) {
    p = fetchAsset(url, 'the speech detector', { onProgress, name: VAD_MODEL }).finally(() => onProgress?.(null));
    p.catch(() => models.delete(url));
    models.set(url, p);
  }
  return p;
}

/**
 * onnxruntime's wasm (14 MB, 3.7 MB gzip) through the verified download: checked against the
 * build's manifest and kept in Cache Storage, so a later visit compiles it without the network
 * (the HTTP cache alone may have evicted it). The bytes are the caller's to transfer to its
 * worker; they are not kept in memory (a later worker reads them from Cache Storage again).
 */
export async function takeVadRuntime(assetFolder: string, onProgress?: (p: Progress | null) => void): Promise<ArrayBuffer> {
  // A download under way (preload) is not started twice: it ends in Cache Storage.
  await warmed.get(assetFolder)?.catch(() => undefined);
  return fetchAsset(new URL(ORT_WASM[1], assetFolder).href, "the speech detector's runtime", { onProgress, name: ORT_WASM[1] }).finally(() => onProgress?.(null));
}

/**
 * Fetches onnxruntime's wasm (into Cache Storage, verified; the bytes are dropped) and its
 * loader (into the HTTP cache) ahead of activation.
 */
export function warmVadRuntime(assetFolder: string): Promise<void> {
  let p = warmed.get(assetFolder);
  if (!p) {
    p = Promise.all([
      fetchAsset(new URL(ORT_WASM[1], assetFolder).href, "the speech detector's runtime", { name: ORT_WASM[1] }),
      fetch(new URL(ORT_WASM[0], assetFolder), { credentials: 'omit' }).then(async (r) => {
        if (!r.ok) throw new Error(`${r.status} for ${ORT_WASM[0]}`);
        await r.arrayBuffer();
      }),
    ]).then(() => undefined);
    p.catch(() => warmed.delete(assetFolder));
    warmed.set(assetFolder, p);
  }
  return p;
}
