import { expect } from '@esm-bundle/chai';
import { backup, fastResilience, mount, type Mounted } from './harness.js';
import { faultCount, faultEndpoint, resetFaults, setSwitch, switchEndpoint } from './fault-origin.js';
import { RESILIENCE_DEFAULTS } from '../../src/resilience/session-resilience.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('breaker cycle, nothing lost, rate limits (fault server)', () => {
  let m: Mounted;
  beforeEach(async () => {
    await resetFaults();
    fastResilience();
  });
  afterEach(() => m?.remove());

  it('remote down -> the next engine takes over -> remote back -> one probe -> used again', async () => {
    await setSwitch('cycle', '500');
    m = await mount({ mode: 'dictation', endpoint: switchEndpoint('cycle'), stt: 'remote backup-stt' });
    await m.utter();
    await m.utter();
    expect(m.of('voice-circuit').map((c) => c.state)).to.deep.equal(['open']);
    expect(await faultCount('/switch/cycle/')).to.equal(2);
    // Open: fails fast, the server sees nothing, the next engine answers.
    await m.utter();
    await m.utter();
    expect(await faultCount('/switch/cycle/')).to.equal(2);
    expect(backup.stt).to.equal(4);

    await setSwitch('cycle', 'ok');
    await sleep(450);
    await m.utter();
    expect(await faultCount('/switch/cycle/')).to.equal(3);
    expect(m.of('voice-circuit')).to.deep.equal([
      { engine: 'remote', operation: 'stt', state: 'open' },
      { engine: 'remote', operation: 'stt', state: 'half-open' },
      { engine: 'remote', operation: 'stt', state: 'closed' },
    ]);
    expect(m.of('voice-transcript').map((t) => t.engine)).to.deep.equal(['backup-stt', 'backup-stt', 'backup-stt', 'backup-stt', 'remote']);
    expect(m.of('voice-transcript').at(-1).text).to.equal('turn on the lights');
    expect(m.of('voice-error')).to.deep.equal([]);
  });

  it('a failed probe re-opens the breaker with a longer cooldown', async () => {
    m = await mount({ mode: 'dictation', endpoint: faultEndpoint('502', 'probe'), stt: 'remote backup-stt' });
    await m.utter();
    await m.utter();
    await sleep(450);
    await m.utter();
    expect(m.of('voice-circuit').map((c) => c.state)).to.deep.equal(['open', 'half-open', 'open']);
    // Two utterances x 3 attempts (502 is retried), then the probe's 3 attempts.
    expect(await faultCount('/t/probe/')).to.equal(9);
    const wait = m.resilience.breakers.get('remote', 'stt').retryAfterMs;
    expect(wait).to.be.within(700, 800);
  });

  it('nothing lost: when every engine fails the utterance is reported, kept, and retry() resends it', async () => {
    await setSwitch('lost', '500');
    m = await mount({ mode: 'dictation', endpoint: switchEndpoint('lost'), stt: 'remote' });
    await m.utter();
    const [error] = m.of('voice-error');
    expect(error).to.deep.include({ code: 'engine-failed', recoverable: true });
    expect(error.message).to.contain('remote');
    expect(error.message).to.contain('HTTP 500');
    expect(m.el.state).to.equal('idle');

    await setSwitch('lost', 'ok');
    await m.conversation.retry();
    expect(m.of('voice-transcript').map((t) => [t.text, t.engine])).to.deep.equal([['turn on the lights', 'remote']]);
    expect(await faultCount('/switch/lost/')).to.equal(2);
    // Sent once: a second retry() has nothing left to resend.
    await m.conversation.retry();
    expect(await faultCount('/switch/lost/')).to.equal(2);
  });

  it('a hung server is reported as a timeout, and the utterance can be retried', async () => {
    await setSwitch('hung', 'hang');
    m = await mount({ mode: 'dictation', endpoint: switchEndpoint('hung'), stt: 'remote' });
    await m.utter();
    expect(m.of('voice-error').map((e) => e.code)).to.deep.equal(['timeout']);
    await setSwitch('hung', 'ok');
    await m.conversation.retry();
    expect(m.of('voice-transcript').map((t) => t.text)).to.deep.equal(['turn on the lights']);
  });

  it('with rate-limit="stt=3/min" the 4th utterance is not sent, the user is told when to speak again, and a reload keeps the budget spent', async () => {
    m = await mount({ mode: 'dictation', endpoint: faultEndpoint('ok', 'budget'), stt: 'remote', 'rate-limit': 'stt=3/min' });
    for (let i = 0; i < 4; i++) await m.utter();
    expect(await faultCount('/t/budget/')).to.equal(3);
    expect(m.of('voice-transcript').length).to.equal(3);
    const [limited] = m.of('voice-rate-limited');
    expect(limited.operation).to.equal('stt');
    expect(limited.retryAfterMs).to.be.within(15_000, 20_000);
    expect(m.of('voice-error').map((e) => e.code)).to.deep.equal(['rate-limited']);
    const note = (m.el as unknown as { lines: { who: string; text: string }[] }).lines.find((l) => l.who === 'note');
    expect(note?.text).to.match(/you can speak again in (1[5-9]|20) s/);
    m.remove();

    // A reload: a new element, a new limiter, the same IndexedDB.
    m = await mount({ mode: 'dictation', endpoint: faultEndpoint('ok', 'budget'), stt: 'remote', 'rate-limit': 'stt=3/min' });
    await m.utter();
    expect(await faultCount('/t/budget/')).to.equal(3);
    expect(m.of('voice-rate-limited').length).to.equal(1);
  });

  it('an over-budget call is not sent and the chain moves on to the next engine (which has its own reasons)', async () => {
    RESILIENCE_DEFAULTS.database = `va-budget-${Date.now()}`;
    m = await mount({ mode: 'dictation', endpoint: faultEndpoint('ok', 'budget2'), stt: 'remote browser', 'rate-limit': 'stt=1/min' });
    await m.utter();
    await m.utter();
    expect(await faultCount('/t/budget2/')).to.equal(1);
    expect(m.of('voice-rate-limited').length).to.equal(1);
    // The second engine is tried (here the browser has no speech recognition engine: an error with both reasons).
    const errors = m.of('voice-error');
    expect(errors.length).to.equal(1);
    expect(errors[0].message).to.contain('too many requests');
  });
});
