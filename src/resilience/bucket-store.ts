import type { IDBPDatabase } from 'idb';

/** What is stored per window: tokens left, and when they were counted. */
export interface Bucket {
  tokens: number;
  at: number;
}

/** Returns the new buckets (in the order of the keys), or undefined to leave them as they are. */
export type BucketUpdate = (stored: (Bucket | undefined)[]) => Bucket[] | undefined;
export type IsFull = (key: string, bucket: Bucket, now: number) => boolean;

/** Token buckets in one IndexedDB object store; every update is one readwrite transaction. */
export class BucketStore {
  constructor(
    private readonly db: IDBPDatabase,
    private readonly storeName: string,
    private readonly isFull: IsFull,
  ) {}

  async update(keys: string[], fn: BucketUpdate): Promise<void> {
    const tx = this.db.transaction(this.storeName, 'readwrite');
    // Only IndexedDB requests are awaited inside the transaction, so it stays active.
    const stored = (await Promise.all(keys.map((k) => tx.store.get(k)))) as (Bucket | undefined)[];
    const next = fn(stored);
    if (next) {
      await Promise.all(
        keys.map((k, i) => (this.isFull(k, next[i]!, next[i]!.at) ? tx.store.delete(k) : tx.store.put(next[i], k))),
      );
    }
    await tx.done;
  }

  /** Deletes buckets that have refilled (left by old budgets or other operations): bounded storage. */
  async sweep(now: number): Promise<void> {
    const tx = this.db.transaction(this.storeName, 'readwrite');
    for (let c = await tx.store.openCursor(); c; c = await c.continue()) {
      if (this.isFull(String(c.key), c.value as Bucket, now)) await c.delete();
    }
    await tx.done;
  }

  /** How many buckets are stored (tests assert that storage stays bounded). */
  async size(): Promise<number> {
    return this.db.count(this.storeName);
  }
}

/** The same buckets in memory, when IndexedDB is not available. */
export class MemoryBucketStore extends BucketStore {
  private readonly map = new Map<string, Bucket>();

  constructor(private readonly full: IsFull) {
    super(undefined as never, '', full);
  }

  override async update(keys: string[], fn: BucketUpdate): Promise<void> {
    const next = fn(keys.map((k) => this.map.get(k)));
    next?.forEach((b, i) => (this.full(keys[i]!, b, b.at) ? this.map.delete(keys[i]!) : this.map.set(keys[i]!, b)));
  }

  override async sweep(now: number): Promise<void> {
    for (const [k, b] of this.map) if (this.full(k, b, now)) this.map.delete(k);
  }

  override async size(): Promise<number> {
    return this.map.size;
  }
}
