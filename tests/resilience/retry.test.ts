import { expect } from '@esm-bundle/chai';
import { backoffMs, retry } from '../../src/resilience/retry.js';
import { withTimeout } from '../../src/resilience/timeout.js';
import { VoiceAssistantError } from '../../src/errors.js';

describe('retry', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3, 10].map((a) => backoffMs(a, 100, 1000, () => 1))).to.deep.equal([100, 200, 400, 800, 1000]);
    expect(backoffMs(3, 100, 1000, () => 0)).to.equal(0);
  });

  it('retries until success and reports each retry', async () => {
    const delays: number[] = [];
    let n = 0;
    const v = await retry(async () => (++n < 3 ? Promise.reject(new Error('flaky')) : 'done'), {
      attempts: 4, baseMs: 1, maxMs: 2, onRetry: (_e, _a, ms) => delays.push(ms),
    });
    expect(v).to.equal('done');
    expect(n).to.equal(3);
    expect(delays.length).to.equal(2);
  });

  it('waits at least the retryAfterMs an error carries', async () => {
    const delays: number[] = [];
    let n = 0;
    const t0 = performance.now();
    await retry(async () => (n++ === 0 ? Promise.reject(Object.assign(new Error('429'), { retryAfterMs: 300 })) : 'ok'), {
      baseMs: 1, maxMs: 1, random: () => 0, onRetry: (_e, _a, ms) => delays.push(ms),
    });
    expect(delays).to.deep.equal([300]);
    expect(performance.now() - t0).to.be.at.least(290);
  });

  it('fails at once when the server asks for a longer wait than is worth it', async () => {
    let n = 0;
    const e = await retry(async () => {
      n++;
      throw Object.assign(new Error('503'), { retryAfterMs: 60_000 });
    }, { attempts: 5, maxRetryAfterMs: 5_000 }).catch((x: any) => x) as any;
    expect(e.message).to.equal('503');
    expect(n).to.equal(1);
  });

  it('stops at a non-retryable error and when aborted', async () => {
    let n = 0;
    await retry(async () => { n++; throw new Error('400'); }, { retryable: () => false }).catch(() => {});
    expect(n).to.equal(1);
    const ac = new AbortController();
    const p = retry(async () => { throw new Error('x'); }, { attempts: 10, baseMs: 10_000, maxMs: 10_000, random: () => 1, signal: ac.signal });
    setTimeout(() => ac.abort(new DOMException('stop', 'AbortError')), 20);
    expect((await p.catch((x) => x)).name).to.equal('AbortError');
  });
});

describe('withTimeout', () => {
  it('turns a timeout into a VoiceAssistantError "timeout" and aborts the work', async () => {
    let aborted = false;
    const e = await withTimeout((s) => new Promise(() => s.addEventListener('abort', () => (aborted = true))), { ms: 50, what: 'Transcription' }).catch((x: any) => x) as any;
    expect(e).to.be.instanceOf(VoiceAssistantError);
    expect(e.code).to.equal('timeout');
    expect(e.message).to.contain('Transcription');
    // The browser runs microtasks between abort listeners, so the work hears it a moment later.
    await new Promise((r) => setTimeout(r, 0));
    expect(aborted).to.equal(true);
  });

  it('rethrows the caller\'s abort as is, and passes results through', async () => {
    const ac = new AbortController();
    const p = withTimeout((s) => new Promise((_, rej) => s.addEventListener('abort', () => rej(s.reason))), { ms: 5_000, signal: ac.signal });
    ac.abort(new DOMException('user', 'AbortError'));
    const e = await p.catch((x: any) => x) as any;
    expect(e.name).to.equal('AbortError');
    expect(await withTimeout(async () => 42, { ms: 1000 })).to.equal(42);
  });

  it('ends even when the work ignores its signal', async () => {
    const e = await withTimeout(() => new Promise(() => {}), { ms: 30 }).catch((x: any) => x) as any;
    expect(e.code).to.equal('timeout');
  });
});
