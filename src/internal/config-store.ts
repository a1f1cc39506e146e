import { openDB, type IDBPDatabase } from 'idb';

export const CONFIG_DATABASE = 'voice-assistant-config';
const DOCUMENTS = 'documents';
const META = 'meta';

/** The last valid remote configuration document fetched from one URL. */
export interface StoredDocument {
  readonly doc: unknown;
  readonly etag?: string;
  readonly at: number;
}

let db: Promise<IDBPDatabase | undefined> | undefined;
const open = () =>
  (db ??= openDB(CONFIG_DATABASE, 1, {
    upgrade: (d) => {
      d.createObjectStore(DOCUMENTS);
      d.createObjectStore(META);
    },
    blocking: () => {
      void db?.then((d) => d?.close());
      db = undefined;
    },
  }).catch(() => undefined));

/** The last good document for `url`, if one was ever kept (nothing when storage is unavailable). */
export async function loadDocument(url: string): Promise<StoredDocument | undefined> {
  return ((await open())?.get(DOCUMENTS, url).catch(() => undefined)) as Promise<StoredDocument | undefined>;
}

export async function saveDocument(url: string, value: StoredDocument): Promise<void> {
  await (await open())?.put(DOCUMENTS, value, url).catch(() => undefined);
}

let memoryId: string | undefined;

/**
 * A random id for this browser profile and origin, kept in IndexedDB: the only identifier the
 * widget has (no fingerprinting, no cookies). Feature toggles hash it for sticky assignment.
 * Where storage is unavailable (some private modes) it lasts as long as the page.
 */
export async function installId(): Promise<string> {
  const store = await open();
  const kept = (await store?.get(META, 'install-id').catch(() => undefined)) as string | undefined;
  if (kept) return kept;
  const id = (memoryId ??= crypto.randomUUID());
  await store?.put(META, id, 'install-id').catch(() => undefined);
  return id;
}
