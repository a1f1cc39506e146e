import { expect } from '@esm-bundle/chai';
import { RingBuffer } from '../../src/audio/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3);
    const evicted = [1, 2, 3, 4, 5].map((x) => ring.push(x));
    expect(evicted).to.deep.equal([undefined, undefined, undefined, 1, 2]);
    expect(ring.toArray()).to.deep.equal([3, 4, 5]);
    expect(ring.size).to.equal(3);
  });

  it('clears', () => {
    const ring = new RingBuffer<string>(2);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    expect(ring.toArray()).to.deep.equal(['b', 'c']);
    ring.clear();
    expect(ring.size).to.equal(0);
    expect(ring.toArray()).to.deep.equal([]);
    ring.push('d');
    expect(ring.toArray()).to.deep.equal(['d']);
  });

  it('uses the same memory after a million pushes as after a few', () => {
    const ring = new RingBuffer<number>(16);
    for (let i = 0; i < 1_000_000; i++) ring.push(i);
    expect(ring.size).to.equal(16);
    expect(ring.toArray()[0]).to.equal(1_000_000 - 16);
    expect((ring as unknown as { items: unknown[] }).items.length).to.equal(16);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).to.throw(RangeError);
    expect(() => new RingBuffer(1.5)).to.throw(RangeError);
  });
});
