import { expect } from '@esm-bundle/chai';
import { CircuitBreaker, CircuitOpenError, classifyError, type CircuitState } from '../../src/resilience/circuit-breaker.js';
import { CircuitBreakers } from '../../src/resilience/circuit-breakers.js';
import { VoiceAssistantError } from '../../src/errors.js';

/** An HTTP-ish failure as RemoteError shapes it: a code and a status. */
const http = (status: number) => Object.assign(new VoiceAssistantError('engine-failed', `HTTP ${status}`), { status });
const timeout = () => new VoiceAssistantError('timeout', 'too slow');

function rig(options: ConstructorParameters<typeof CircuitBreaker>[1] = {}) {
  let t = 1_000_000;
  const changes: CircuitState[] = [];
  const breaker = new CircuitBreaker('remote (stt)', {
    threshold: 3,
    windowMs: 10_000,
    cooldownMs: 5_000,
    jitter: 0.2,
    random: () => 0.5,
    now: () => t,
    onChange: (s) => changes.push(s),
    ...options,
  });
  let calls = 0;
  const call = (outcome: unknown) =>
    breaker.run(async () => {
      calls++;
      if (outcome !== undefined) throw outcome;
      return 'ok';
    });
  return { breaker, changes, call, tick: (ms: number) => (t += ms), calls: () => calls };
}

describe('CircuitBreaker', () => {
  it('runs the full cycle: open after N failures, fast-fail, one probe in half-open, closed after success', async () => {
    const r = rig();
    for (let i = 0; i < 3; i++) await r.call(http(500)).catch(() => {});
    expect(r.calls()).to.equal(3);
    expect(r.breaker.state).to.equal('open');

    // Open: fails fast without calling, and says when to come back (5 s cooldown + 10 % jitter).
    const fast = await r.call(undefined).catch((e) => e);
    expect(fast).to.be.instanceOf(CircuitOpenError);
    expect(fast.code).to.equal('engine-failed');
    expect(fast.retryAfterMs).to.equal(5_500);
    expect(r.calls()).to.equal(3);

    r.tick(5_499);
    expect(r.breaker.state).to.equal('open');
    r.tick(1);
    expect(r.breaker.state).to.equal('half-open');

    // Exactly one probe goes through; a second caller meanwhile fails fast.
    let finish!: () => void;
    const probe = r.breaker.run(() => new Promise<string>((res) => (finish = () => res('probe ok'))));
    const second = await r.call(undefined).catch((e) => e);
    expect(second).to.be.instanceOf(CircuitOpenError);
    finish();
    expect(await probe).to.equal('probe ok');
    expect(r.breaker.state).to.equal('closed');
    expect(await r.call(undefined)).to.equal('ok');
    expect(r.changes).to.deep.equal(['open', 'half-open', 'closed']);
  });

  it('re-opens on a failed probe with a doubled cooldown', async () => {
    const r = rig();
    for (let i = 0; i < 3; i++) await r.call(timeout()).catch(() => {});
    r.tick(5_500);
    await r.call(timeout()).catch(() => {});
    expect(r.breaker.state).to.equal('open');
    expect(r.breaker.retryAfterMs).to.equal(11_000);
    expect(r.changes).to.deep.equal(['open', 'half-open', 'open']);
  });

  it('does not count 4xx caused by the request, nor aborts', async () => {
    const r = rig();
    for (const e of [http(400), http(401), http(404), http(413), http(422), new DOMException('stop', 'AbortError')]) {
      await r.call(e).catch(() => {});
    }
    for (let i = 0; i < 2; i++) await r.call(http(503)).catch(() => {});
    expect(r.breaker.state).to.equal('closed');
    await r.call(http(429)).catch(() => {});
    expect(r.breaker.state).to.equal('open');
  });

  it('counts failures in a rolling window only', async () => {
    const r = rig();
    await r.call(http(500)).catch(() => {});
    await r.call(http(502)).catch(() => {});
    r.tick(10_001);
    await r.call(new TypeError('Failed to fetch')).catch(() => {});
    expect(r.breaker.state).to.equal('closed');
    await r.call(http(500)).catch(() => {});
    await r.call(http(500)).catch(() => {});
    expect(r.breaker.state).to.equal('open');
  });

  it('stays open at least as long as Retry-After asks', async () => {
    const r = rig({ threshold: 1 });
    await r.call(Object.assign(http(503), { retryAfterMs: 60_000 })).catch(() => {});
    expect(r.breaker.retryAfterMs).to.equal(60_000);
  });

  it('an aborted probe neither closes nor re-opens, and frees the probe slot', async () => {
    const r = rig({ threshold: 1 });
    await r.call(http(500)).catch(() => {});
    r.tick(6_000);
    await r.call(new DOMException('user stopped', 'AbortError')).catch(() => {});
    expect(r.breaker.state).to.equal('half-open');
    expect(await r.call(undefined)).to.equal('ok');
    expect(r.breaker.state).to.equal('closed');
  });

  it('ignores late failures of calls made before it opened', async () => {
    const r = rig({ threshold: 2 });
    let failLate!: () => void;
    const late = r.breaker.run(() => new Promise((_, rej) => (failLate = () => rej(http(500)))));
    await r.call(http(500)).catch(() => {});
    await r.call(http(500)).catch(() => {});
    const until = r.breaker.retryAfterMs;
    failLate();
    await late.catch(() => {});
    expect(r.breaker.retryAfterMs).to.equal(until);
    expect(r.changes).to.deep.equal(['open']);
  });

  it('classifies errors as the design says', () => {
    expect(classifyError(timeout())).to.equal('failure');
    expect(classifyError(new TypeError('Failed to fetch'))).to.equal('failure');
    expect(classifyError(http(500))).to.equal('failure');
    expect(classifyError(http(408))).to.equal('failure');
    expect(classifyError(Object.assign(new VoiceAssistantError('engine-failed', 'not JSON'), { status: 200 }))).to.equal('failure');
    expect(classifyError(http(400))).to.equal('healthy');
    expect(classifyError(new VoiceAssistantError('unsupported', 'no endpoint'))).to.equal('neutral');
    expect(classifyError(new DOMException('x', 'AbortError'))).to.equal('neutral');
  });
});

describe('CircuitBreakers', () => {
  it('keeps one breaker per engine and operation and reports transitions with both', async () => {
    const seen: unknown[] = [];
    const all = new CircuitBreakers({ threshold: 1, onChange: (c) => seen.push(c) });
    expect(all.get('remote', 'stt')).to.equal(all.get('remote', 'stt'));
    await all.get('remote', 'tts').run(() => Promise.reject(http(500))).catch(() => {});
    expect(all.get('remote', 'stt').state).to.equal('closed');
    expect(seen).to.deep.equal([{ engine: 'remote', operation: 'tts', state: 'open' }]);
    expect(all.notClosed()).to.deep.equal(['remote (tts): open']);
  });
});
