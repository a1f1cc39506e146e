import { VoiceAssistantError } from '../errors.js';

/** Written by the build beside the assets (scripts/asset-manifest.mjs). */
export const ASSET_MANIFEST = 'asset-manifest.json';
/** Cache Storage of verified assets; a new build's files have new keys (their hash). */
export const ASSET_CACHE = 'voice-assistant-assets-v1';

export interface ManifestEntry {
  readonly size: number;
  readonly sha256: string;
}

const manifests = new Map<string, Promise<Record<string, ManifestEntry> | undefined>>();
let warned = false;

/**
 * What the build says `name` (relative to `folder`) must be, or undefined when the folder has
 * no manifest (a deployment that dropped it: the asset is then used unverified, with one warning).
 */
export async function expected(folder: string, name: string): Promise<ManifestEntry | undefined> {
  let m = manifests.get(folder);
  if (!m) {
    // A folder without a manifest (404) is asked once per page; a network failure is forgotten
    // so that the next download asks again.
    m = fetch(new URL(ASSET_MANIFEST, folder), { credentials: 'omit', cache: 'no-cache' })
      .then(async (r) => (r.ok ? ((await r.json()) as { files: Record<string, ManifestEntry> }).files : undefined))
      .catch(() => {
        manifests.delete(folder);
        return undefined;
      });
    manifests.set(folder, m);
  }
  return (await m)?.[name];
}

/** Said once per page when an asset arrived but the folder's manifest does not list it. */
export function warnUnverified(url: string): void {
  if (warned) return;
  warned = true;
  console.warn(`<voice-assistant>: ${url} is not in its folder's ${ASSET_MANIFEST}; downloads are not verified.`);
}

export async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether `bytes` are what the manifest says (size first: it costs nothing). */
export async function matches(bytes: ArrayBuffer, entry: ManifestEntry): Promise<boolean> {
  return bytes.byteLength === entry.size && (await sha256(bytes)) === entry.sha256;
}

export function integrityError(label: string, url: string, entry: ManifestEntry): VoiceAssistantError {
  return new VoiceAssistantError(
    'asset-integrity',
    `${label} (${url}) does not match the build's ${ASSET_MANIFEST} (SHA-256 ${entry.sha256.slice(0, 12)}…, ${entry.size} bytes): refused.`,
    false,
  );
}

const cacheKey = (url: string, entry: ManifestEntry) => `${url}#sha256=${entry.sha256}`;
const storage = () => (typeof caches === 'undefined' ? undefined : caches.open(ASSET_CACHE).catch(() => undefined));

/** A verified copy kept from an earlier visit (checked again: storage can rot), or undefined. */
export async function fromCache(url: string, entry: ManifestEntry): Promise<ArrayBuffer | undefined> {
  const cache = await storage();
  const hit = await cache?.match(cacheKey(url, entry)).catch(() => undefined);
  if (!hit) return undefined;
  const bytes = await hit.arrayBuffer();
  if (await matches(bytes, entry)) return bytes;
  await cache?.delete(cacheKey(url, entry));
  return undefined;
}

/** Keeps verified bytes for later visits; a full or refused storage is not an error. */
export async function toCache(url: string, entry: ManifestEntry, bytes: ArrayBuffer): Promise<void> {
  // Copied before the first await: the caller may transfer `bytes` to a worker meanwhile.
  const copy = bytes.slice(0);
  const cache = await storage();
  await cache?.put(cacheKey(url, entry), new Response(copy, { headers: { 'Content-Type': 'application/octet-stream' } })).catch(() => undefined);
}
