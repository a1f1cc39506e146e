// @fixture barge-in.wav
import { expect } from '@esm-bundle/chai';
import { converse, truth } from './e2e.js';

describe('<voice-assistant> barge-in against the reference server', () => {
  it('stops speaking when the user talks over the answer, then answers the new question', async function () {
    this.timeout(90000);
    const t = await truth('barge-in.wav');
    const c = await converse({ mode: 'conversation', chat: 'remote' });
    let stop: { at: number; speaking: boolean; audible: boolean } | undefined;
    c.el.addEventListener('voice-speech-start', () => {
      // The session calls bargeIn() right after this event, synchronously: look just after it.
      queueMicrotask(() => {
        if (stop || !c.log.some((e) => e.type === 'voice-state' && e.detail.state === 'speaking')) return;
        stop = { at: performance.now(), speaking: c.session.conversation.speaking, audible: false };
        setTimeout(() => (stop!.audible = c.probe.audibleNow), 30);
      });
    });
    try {
      await c.next('voice-state', (d) => d.state === 'speaking', 40000);
      const metrics = await c.next('voice-metrics', (d) => d.bargeInMs !== undefined, 40000);
      const answer = await c.next('voice-response', (d) => d.final && /harbour street/i.test(d.text), 40000);
      expect(stop, 'speech start while speaking').to.not.equal(undefined);
      expect(stop!.speaking).to.equal(false);
      expect(stop!.audible).to.equal(false);
      const second = t?.segments[1];
      const onsetToStop = second ? stop!.at - (c.session.capture.openedAt + second.startMs) : undefined;
      console.log(
        `[barge-in] VAD speech start -> playback stopped ${metrics.detail.bargeInMs} ms (voice-metrics.bargeInMs); ` +
          `true onset -> stopped ${onsetToStop === undefined ? 'n/a (fixtures.json missing)' : `${Math.round(onsetToStop)} ms`}; new answer "${answer.detail.text.slice(0, 60)}…"`,
      );
      expect(metrics.detail.bargeInMs).to.be.a('number').below(300);
      const finals = c.log.filter((e) => e.type === 'voice-response' && e.detail.final).map((e) => e.detail.text);
      expect(finals[0]).to.match(/open from nine/i);
      // The first answer was cut short: it is not the whole knowledge entry.
      expect(finals[0]).not.to.match(/eleven in the morning\.$/);
    } finally {
      c.close();
    }
  });
});
