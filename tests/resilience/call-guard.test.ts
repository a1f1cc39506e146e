import { expect } from '@esm-bundle/chai';
import { parseRateLimits } from '../../src/config/rate-limit.js';
import { guardCalls, RateLimitedError } from '../../src/resilience/call-guard.js';
import { CircuitBreakers } from '../../src/resilience/circuit-breakers.js';
import { CircuitOpenError } from '../../src/resilience/circuit-breaker.js';
import { RateLimiter } from '../../src/resilience/rate-limiter.js';
import { VoiceAssistantError } from '../../src/errors.js';

const call = (engine: string, signal = new AbortController().signal) => ({ engine, operation: 'stt' as const, signal });

describe('guardCalls (rate limiter -> circuit breaker -> timeout)', () => {
  const setup = (spec = 'stt=2/min') => {
    const limiter = new RateLimiter({ limits: parseRateLimits(spec)!, database: false });
    const breakers = new CircuitBreakers({ threshold: 1, cooldownMs: 60_000 });
    const limited: number[] = [];
    const wrap = guardCalls({ limiter, breakers, timeoutMs: { stt: 100, tts: 100, chat: 100 }, onRateLimited: (_op, ms) => limited.push(ms) });
    return { limiter, breakers, wrap, limited };
  };

  it('refuses over budget before anything else runs, and says when', async () => {
    const { wrap, limited } = setup();
    let runs = 0;
    const ok = () => wrap(call('remote'), async () => ++runs);
    await ok();
    await ok();
    const e = await ok().catch((x) => x);
    expect(e).to.be.instanceOf(RateLimitedError);
    expect(e.code).to.equal('rate-limited');
    expect(runs).to.equal(2);
    expect(limited.length).to.equal(1);
    expect(limited[0]).to.be.within(29_000, 30_000);
  });

  it('gives the token back when the open breaker refuses the call (nothing was sent)', async () => {
    const { wrap, limiter } = setup('stt=2/min');
    await wrap(call('remote'), () => Promise.reject(Object.assign(new VoiceAssistantError('engine-failed', '500'), { status: 500 }))).catch(() => {});
    for (let i = 0; i < 5; i++) {
      expect(await wrap(call('remote'), async () => 'never').catch((x) => x)).to.be.instanceOf(CircuitOpenError);
    }
    await new Promise((r) => setTimeout(r, 20));
    // One token was spent on the real failure; the refused calls spent none.
    expect((await limiter.tryAcquire('stt')).ok).to.equal(true);
    expect((await limiter.tryAcquire('stt')).ok).to.equal(false);
  });

  it('times a call out with code "timeout", aborting the signal the engine got, and counts it', async () => {
    const { wrap, breakers } = setup('stt=100/min');
    let seen: AbortSignal | undefined;
    const e = await wrap(call('remote'), (signal) => {
      seen = signal;
      return new Promise(() => {});
    }).catch((x: any) => x) as any;
    expect(e.code).to.equal('timeout');
    expect(seen!.aborted).to.equal(true);
    expect(breakers.get('remote', 'stt').state).to.equal('open');
  });

  it('does not budget on-device engines', async () => {
    const { wrap } = setup('stt=1/min');
    for (let i = 0; i < 5; i++) expect(await wrap(call('local'), async () => i)).to.equal(i);
  });

  it('passes the caller\'s abort through without counting it', async () => {
    const { wrap, breakers } = setup('stt=100/min');
    const ac = new AbortController();
    const p = wrap(call('remote', ac.signal), (signal) => new Promise((_, rej) => signal!.addEventListener('abort', () => rej(signal!.reason))));
    ac.abort(new DOMException('user', 'AbortError'));
    expect(((await p.catch((x: any) => x)) as any).name).to.equal('AbortError');
    expect(breakers.get('remote', 'stt').state).to.equal('closed');
  });
});
