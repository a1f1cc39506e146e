import { expect } from '@esm-bundle/chai';
import { backup, fastResilience, mount, type Mounted } from './harness.js';
import { RESILIENCE_DEFAULTS } from '../../src/resilience/session-resilience.js';
import { faultCount, faultEndpoint, resetFaults } from './fault-origin.js';

/**
 * Speech recognition against each fault of tests/fakes/fault-server.mjs, with `stt="remote
 * backup-stt"`. The documented reaction: the utterance is transcribed by the next engine (no
 * voice-error), the remote error has the code below, RemoteApi sends the number of requests
 * below (retries only for network errors and 502/503/504, honouring Retry-After), the second
 * failure opens the breaker (`voice-circuit` open), and while it is open nothing reaches the server.
 */
const FAULTS: { fault: string; code: string; requests: number; minMs?: number; maxMs?: number; timeoutMs?: number }[] = [
  { fault: '500', code: 'engine-failed', requests: 1 },
  // Retry-After: 1 honoured twice (the call's timeout must leave room for that).
  { fault: '503', code: 'engine-failed', requests: 3, minMs: 2000, timeoutMs: 6000 },
  { fault: '429', code: 'rate-limited', requests: 1 },
  { fault: 'hang', code: 'timeout', requests: 1, minMs: 1400, maxMs: 3000 },
  { fault: 'reset', code: 'engine-failed', requests: 3 },
  { fault: 'malformed', code: 'engine-failed', requests: 1 },
  { fault: 'content-type', code: 'engine-failed', requests: 1 },
  { fault: 'truncated', code: 'engine-failed', requests: 1 },
];

describe('speech recognition faults (fault server)', () => {
  let m: Mounted;
  beforeEach(async () => {
    await resetFaults();
    fastResilience();
  });
  afterEach(() => m?.remove());

  for (const f of FAULTS) {
    it(`${f.fault}: fails over to the next engine, opens the breaker, then sends nothing while open`, async () => {
      const tag = `stt-${f.fault}`;
      if (f.timeoutMs) RESILIENCE_DEFAULTS.timeoutMs = { ...RESILIENCE_DEFAULTS.timeoutMs, stt: f.timeoutMs };
      m = await mount({ mode: 'dictation', endpoint: faultEndpoint(f.fault, tag), stt: 'remote backup-stt' });
      const t0 = performance.now();
      await m.utter();
      const ms = performance.now() - t0;
      expect(m.of('voice-transcript').map((d) => [d.text, d.engine])).to.deep.equal([['backup heard you', 'backup-stt']]);
      expect(m.of('voice-error')).to.deep.equal([]);
      expect(m.failovers.map((x) => [x.engine, x.error?.code])).to.deep.equal([['remote', f.code]]);
      expect(await faultCount(`/t/${tag}/`)).to.equal(f.requests);
      if (f.minMs) expect(ms).to.be.at.least(f.minMs);
      if (f.maxMs) expect(ms).to.be.below(f.maxMs);
      expect(m.of('voice-circuit')).to.deep.equal([]);

      await m.utter();
      expect(m.of('voice-circuit')).to.deep.equal([{ engine: 'remote', operation: 'stt', state: 'open' }]);
      const sent = await faultCount(`/t/${tag}/`);
      expect(sent).to.equal(2 * f.requests);

      await m.utter();
      expect(await faultCount(`/t/${tag}/`)).to.equal(sent);
      expect(backup.stt).to.equal(3);
      expect(m.el.state).to.equal('idle');
    });
  }

  it('400 (the request\'s fault) fails over but never opens the breaker', async () => {
    m = await mount({ mode: 'dictation', endpoint: faultEndpoint('400', 'stt-400'), stt: 'remote backup-stt' });
    for (let i = 0; i < 4; i++) await m.utter();
    expect(await faultCount('/t/stt-400/')).to.equal(4);
    expect(backup.stt).to.equal(4);
    expect(m.of('voice-circuit')).to.deep.equal([]);
  });

  for (const fault of ['503-30', '429-date30']) {
    it(`${fault}: a long Retry-After is not waited for (one request, failover) and keeps the breaker open that long`, async () => {
      m = await mount({ mode: 'dictation', endpoint: faultEndpoint(fault, `stt-${fault}`), stt: 'remote backup-stt' });
      const t0 = performance.now();
      await m.utter();
      expect(performance.now() - t0).to.be.below(1000);
      await m.utter();
      expect(await faultCount(`/t/stt-${fault}/`)).to.equal(2);
      expect(backup.stt).to.equal(2);
      expect(m.of('voice-circuit').map((c) => c.state)).to.deep.equal(['open']);
      // The cooldown is 400 ms here: the server's 30 s wins.
      expect(m.resilience.breakers.get('remote', 'stt').retryAfterMs).to.be.within(28_000, 30_000);
    });
  }
});
