// @fixture barge-in.wav
import { expect } from '@esm-bundle/chai';
import { converse, defineBuilt, truth } from './e2e.js';

describe('<voice-assistant> barge-in against the reference server', () => {
  it('stops speaking when the user talks over the answer, then answers the new question', async function () {
    this.timeout(90000);
    const t = await truth('barge-in.wav');
    // Under load the reference server's recogniser can take longer than the fixture's 3.5 s gap,
    // and then the second question arrives before the first answer is audible (a supersede, not
    // a barge-in). This test is about barge-in: an instant STT that answers the fixture's
    // ground truth in order; chat and speech are the real server's. The second question has a
    // pause after "stop,": the part before it may be transcribed speculatively (then dropped),
    // so every call after the first answers the second question.
    await defineBuilt();
    const said = ['what are your opening hours', 'stop where are you located'];
    (customElements.get('voice-assistant') as unknown as { registerEngine(n: string, f: unknown): void }).registerEngine('truth-stt', () => ({
      transcribe: async () => ({ text: said.length > 1 ? said.shift()! : said[0]! }),
    }));
    const c = await converse({ mode: 'conversation', chat: 'remote', stt: 'truth-stt' });
    let stop: { at: number; speaking: boolean; audible: boolean; heardMs: number; vadAt: number } | undefined;
    c.el.addEventListener('voice-speech-start', (e) => {
      const vadAt = (e as CustomEvent<{ at: number }>).detail.at;
      // The session calls bargeIn() right after this event, synchronously: look just after it.
      queueMicrotask(() => {
        if (stop || !c.log.some((e) => e.type === 'voice-state' && e.detail.state === 'speaking')) return;
        stop = { at: performance.now(), speaking: c.session.conversation.speaking, audible: false, heardMs: c.probe.audibleMs, vadAt };
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
      const second = t!.segments[1];
      // The output is ducked at the first frame over the threshold and stopped when the VAD
      // confirms speech; bargeInMs runs from the VAD's onset to the first of the two.
      const onsetToSilent = metrics.detail.bargeInMs! + (stop!.vadAt - second.startMs);
      const onsetToConfirmed = stop!.at - (c.session.capture.openedAt + second.startMs);
      console.log(
        `[barge-in] true onset -> output silenced ${Math.round(onsetToSilent)} ms (VAD onset ${Math.round(stop!.vadAt - second.startMs)} ms off the truth, ` +
          `voice-metrics.bargeInMs ${metrics.detail.bargeInMs} ms); true onset -> speech confirmed and playback stopped ${Math.round(onsetToConfirmed)} ms; ` +
          `new answer "${answer.detail.text.slice(0, 60)}…"`,
      );
      // (VAD onset accuracy itself is asserted by tests/vad/*; during playback on this loaded
      // 2-core machine the onset has come out 200-230 ms late: reported above, not asserted.)
      expect(metrics.detail.bargeInMs).to.be.a('number').below(300);
      expect(onsetToSilent).to.be.below(onsetToConfirmed);
      const finals = c.log.filter((e) => e.type === 'voice-response' && e.detail.final).map((e) => e.detail.text);
      expect(finals[0]).to.match(/open from nine/i);
      // The first answer (about 8.5 s of speech) was heard, and cut short: how much of it depends
      // on how fast the server answered the first question (under load, as little as 140 ms).
      expect(stop!.heardMs).to.be.within(1, 6000);
    } finally {
      c.close();
    }
  });
});
