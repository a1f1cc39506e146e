/**
 * A fixed-capacity FIFO: pushing into a full buffer evicts the oldest item, so memory stays
 * the same whether it runs for a minute or an hour. Used for the VAD's pre-roll frames.
 * @example
 * const ring = new RingBuffer<number>(3);
 * [1, 2, 3, 4].forEach((x) => ring.push(x));
 * ring.toArray(); // [2, 3, 4]
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1) || !Number.isInteger(capacity)) throw new RangeError(`RingBuffer capacity must be a positive integer, not ${capacity}`);
    this.items = new Array(capacity);
  }

  get size() {
    return this.count;
  }

  /** Adds `item` as the newest; returns the evicted oldest item when the buffer was full. */
  push(item: T): T | undefined {
    const slot = (this.head + this.count) % this.capacity;
    if (this.count < this.capacity) {
      this.items[slot] = item;
      this.count++;
      return undefined;
    }
    const evicted = this.items[this.head];
    this.items[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    return evicted;
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.items[(this.head + k) % this.capacity] as T);
    return out;
  }

  clear() {
    this.items.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
