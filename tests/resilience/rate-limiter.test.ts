import { expect } from '@esm-bundle/chai';
import { deleteDB } from 'idb';
import { parseRateLimits, NO_RATE_LIMITS } from '../../src/config/rate-limit.js';
import { RateLimiter } from '../../src/resilience/rate-limiter.js';

const limits = (s: string) => parseRateLimits(s)!;
let seq = 0;

describe('RateLimiter', () => {
  let db: string;
  let t: number;
  const now = () => t;
  const made: RateLimiter[] = [];
  const limiter = (spec: string, database: string | false = db) => {
    const l = new RateLimiter({ limits: limits(spec), database, now });
    made.push(l);
    return l;
  };

  beforeEach(() => {
    db = `va-rate-test-${Date.now()}-${seq++}`;
    t = 1_700_000_000_000;
  });
  afterEach(async () => {
    made.splice(0).forEach((l) => l.close());
    await deleteDB(db);
  });

  it('with stt=3/min refuses the 4th call and says when the next token comes', async () => {
    const l = limiter('stt=3/min');
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await l.tryAcquire('stt'));
    expect(got).to.deep.equal([{ ok: true }, { ok: true }, { ok: true }, { ok: false, retryAfterMs: 20_000 }]);
    t += 5_000;
    expect(await l.tryAcquire('stt')).to.deep.equal({ ok: false, retryAfterMs: 15_000 });
    t += 15_000;
    expect(await l.tryAcquire('stt')).to.deep.equal({ ok: true });
    // Other operations keep their own budget.
    expect(await l.tryAcquire('tts')).to.deep.equal({ ok: true });
  });

  it('keeps the spent budget across a reload (a new instance on the same database)', async () => {
    const first = limiter('stt=3/min');
    for (let i = 0; i < 3; i++) expect((await first.tryAcquire('stt')).ok).to.equal(true);
    first.close();
    t += 1_000;
    const reloaded = limiter('stt=3/min');
    expect(await reloaded.tryAcquire('stt')).to.deep.equal({ ok: false, retryAfterMs: 19_000 });
  });

  it('shares the budget between instances, without lost updates when they race', async () => {
    const a = limiter('stt=3/min');
    const b = limiter('stt=3/min');
    const all = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? a : b).tryAcquire('stt')));
    expect(all.filter((d) => d.ok).length).to.equal(3);
    expect(all.filter((d) => !d.ok).map((d) => (d as { retryAfterMs: number }).retryAfterMs)).to.deep.equal([20_000, 20_000, 20_000]);
  });

  it('needs a token from every window (burst, minute, hour)', async () => {
    const l = limiter('stt=2/10s,3/min,4/h');
    expect((await l.tryAcquire('stt')).ok).to.equal(true);
    expect((await l.tryAcquire('stt')).ok).to.equal(true);
    // The burst window is empty: one token every 5 s.
    expect(await l.tryAcquire('stt')).to.deep.equal({ ok: false, retryAfterMs: 5_000 });
    t += 5_000;
    expect((await l.tryAcquire('stt')).ok).to.equal(true);
    // Ten seconds on, the burst window is full again but the minute window holds 0.75 token.
    t += 10_000;
    expect(await l.tryAcquire('stt')).to.deep.equal({ ok: false, retryAfterMs: 5_000 });
    t += 5_000;
    expect((await l.tryAcquire('stt')).ok).to.equal(true);
    // Four calls in 20 s: now the hour window is the one that is empty (one token per 15 min).
    t += 20_000;
    const d = (await l.tryAcquire('stt')) as { ok: false; retryAfterMs: number };
    expect(d.ok).to.equal(false);
    expect(d.retryAfterMs).to.be.closeTo(900_000 - 40_000, 1);
  });

  it('gives a token back with refund', async () => {
    const l = limiter('chat=1/min');
    expect((await l.tryAcquire('chat')).ok).to.equal(true);
    expect((await l.tryAcquire('chat')).ok).to.equal(false);
    await l.refund('chat');
    expect((await l.tryAcquire('chat')).ok).to.equal(true);
  });

  it('keeps storage bounded: full buckets are not stored, refilled ones are swept', async () => {
    const l = limiter('stt=3/min;tts=2/10s,5/h');
    expect(await l.stored()).to.equal(0);
    await l.tryAcquire('stt');
    await l.tryAcquire('tts');
    expect(await l.stored()).to.equal(3);
    for (let i = 0; i < 50; i++) await l.tryAcquire('stt');
    expect(await l.stored()).to.equal(3);
    l.close();
    t += 3_600_000;
    expect(await limiter('stt=3/min').stored()).to.equal(0);
  });

  it('allows everything with rate-limit="none", and works in memory without IndexedDB', async () => {
    const none = new RateLimiter({ limits: NO_RATE_LIMITS, database: db });
    for (let i = 0; i < 100; i++) expect((await none.tryAcquire('stt')).ok).to.equal(true);
    const mem = limiter('stt=1/min', false);
    expect((await mem.tryAcquire('stt')).ok).to.equal(true);
    expect(await mem.tryAcquire('stt')).to.deep.equal({ ok: false, retryAfterMs: 60_000 });
  });

  it('is shared with a second tab of the origin (a real window.open)', async function () {
    const spec = 'stt=3/min';
    const here = new RateLimiter({ limits: limits(spec), database: db });
    made.push(here);
    expect((await here.tryAcquire('stt')).ok).to.equal(true);
    expect((await here.tryAcquire('stt')).ok).to.equal(true);
    const results = new Promise<{ decisions: { ok: boolean; retryAfterMs?: number }[] }>((resolve) =>
      addEventListener('message', function on(e) {
        if (e.data?.from !== 'second-tab') return;
        removeEventListener('message', on);
        resolve(e.data);
      }),
    );
    const tab = window.open(`/tests/resilience/second-tab.html?db=${db}&limit=${encodeURIComponent(spec)}&n=2`, '_blank');
    if (!tab) this.skip();
    const { decisions } = await results;
    tab!.close();
    expect(decisions.map((d) => d.ok)).to.deep.equal([true, false]);
    expect(decisions[1]!.retryAfterMs).to.be.within(1, 20_000);
    // The other tab's spending counts here too.
    const mine = await here.tryAcquire('stt');
    expect(mine.ok).to.equal(false);
  });
});
