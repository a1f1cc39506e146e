import { expect } from '@esm-bundle/chai';
import { MAX_ATTEMPTS, MAX_FAILURES, MetricsBeacon } from '../../src/metrics/metrics-beacon.js';
import { VoiceErrorEvent } from '../../src/events/voice-error-event.js';

/**
 * A browser may refuse to queue a beacon: `sendBeacon` then returns false ("the user agent
 * imposes limits on the amount of data that can be sent", https://w3c.github.io/beacon/#sendbeacon-method,
 * and https://developer.mozilla.org/en-US/docs/Web/API/Navigator/sendBeacon#return_value).
 * This fault is reproduced by answering false; the sent bodies are kept to be read.
 */
function refusingBeacon(answer: () => boolean) {
  const original = navigator.sendBeacon;
  const calls: string[] = [];
  navigator.sendBeacon = (_url: string | URL, body?: BodyInit | null) => (calls.push(String(body)), answer());
  return { calls, restore: () => (navigator.sendBeacon = original) };
}

const widget = { mode: 'conversation', stt: ['remote'], tts: ['remote'], chat: 'remote' };

describe('metrics beacon failures', () => {
  it('keeps a refused period for MAX_ATTEMPTS beacons, then drops it, and stops after MAX_FAILURES refusals', async () => {
    const host = new EventTarget();
    const fake = refusingBeacon(() => false);
    const b = new MetricsBeacon(host, { url: '/__nowhere', widget, assetFolder: 'http://nowhere.invalid/', intervalMs: 3_600_000 });
    try {
      await b.ready;
      const fail = () => host.dispatchEvent(new VoiceErrorEvent({ code: 'timeout', message: 'm', recoverable: true }));
      fail();
      expect(b.send('interval')).to.equal(false);
      fail();
      expect(b.send('interval')).to.equal(false);
      // The first period was kept: this attempt carries both errors.
      expect(JSON.parse(fake.calls.at(-1)!).errors).to.deep.equal({ timeout: 2 });
      fail();
      expect(b.send('interval')).to.equal(false);
      expect(JSON.parse(fake.calls.at(-1)!).errors).to.deep.equal({ timeout: 3 });
      expect(fake.calls.length).to.equal(MAX_ATTEMPTS);
      // Dropped after MAX_ATTEMPTS: the next period starts empty.
      fail();
      b.send('interval');
      expect(JSON.parse(fake.calls.at(-1)!).errors).to.deep.equal({ timeout: 1 });
      for (let i = fake.calls.length; i < MAX_FAILURES + 5; i++) {
        fail();
        b.send('interval');
      }
      expect(fake.calls.length, 'no beacon after MAX_FAILURES refusals in a row').to.equal(MAX_FAILURES);
    } finally {
      b.dispose();
      fake.restore();
    }
  });

  it('a throwing sendBeacon (an invalid URL) never reaches the widget', async () => {
    const host = new EventTarget();
    const b = new MetricsBeacon(host, { url: 'http://[bad', widget, assetFolder: 'http://nowhere.invalid/' });
    await b.ready;
    host.dispatchEvent(new VoiceErrorEvent({ code: 'timeout', message: 'm', recoverable: true }));
    expect(b.send('interval')).to.equal(false);
    expect(() => b.dispose()).not.to.throw();
  });
});
