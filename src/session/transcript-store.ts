import { openDB, type IDBPDatabase } from 'idb';
import type { ChatMessage } from '../engines/chat/chat-engine.js';

export const HISTORY_DATABASE = 'voice-assistant-history';
const STORE = 'conversations';

/**
 * `persist="history"`: the conversation's text (never audio) in IndexedDB, one record per page
 * path and element id, so a reload shows the last exchanges again; `clear()` forgets them.
 * Storage that fails (private mode, quota) leaves the widget working without it.
 */
export class TranscriptStore {
  private db?: Promise<IDBPDatabase | undefined>;

  constructor(private readonly key: string) {}

  async load(): Promise<ChatMessage[]> {
    const db = await this.open();
    return ((await db?.get(STORE, this.key).catch(() => undefined)) as ChatMessage[] | undefined) ?? [];
  }

  async save(messages: readonly ChatMessage[]): Promise<void> {
    const db = await this.open();
    if (!messages.length) await db?.delete(STORE, this.key).catch(() => undefined);
    else await db?.put(STORE, messages.map(({ role, content }) => ({ role, content })), this.key).catch(() => undefined);
  }

  close(): void {
    void this.db?.then((db) => db?.close());
    this.db = undefined;
  }

  private open(): Promise<IDBPDatabase | undefined> {
    return (this.db ??= openDB(HISTORY_DATABASE, 1, {
      upgrade: (d) => void d.createObjectStore(STORE),
      blocking: () => this.close(),
    }).catch(() => undefined));
  }
}
