// @fixture question.wav
import { expect } from '@esm-bundle/chai';
import { converse } from './e2e.js';

describe('<voice-assistant> conversation against the reference server', () => {
  it('answers a spoken question from the knowledge file: streamed voice-response and audible speech', async function () {
    this.timeout(90000);
    const c = await converse({ mode: 'conversation', chat: 'remote' });
    try {
      const transcript = await c.next('voice-transcript', undefined, 40000);
      const final = await c.next('voice-response', (d) => d.final, 30000);
      const metrics = await c.next('voice-metrics', undefined, 60000);
      // voice-metrics fires at the first sound of the answer: listen to the whole answer first.
      await c.next('voice-state', (d) => d.previous === 'speaking', 60000);
      const partials = c.log.filter((e) => e.type === 'voice-response' && !e.detail.final);
      console.log(`[question] heard "${transcript.detail.text}"; answer "${final.detail.text}" in ${partials.length} pieces`);
      console.log(`[question] audible ${Math.round(c.probe.audibleMs)} ms, peak RMS ${c.probe.peakRms.toFixed(3)}; metrics ${JSON.stringify(metrics.detail)}`);
      expect(final.detail.text).to.match(/open from nine in the morning/i);
      expect(partials.length).to.be.greaterThan(3);
      // Each partial extends the previous one.
      for (let i = 1; i < partials.length; i++) expect(partials[i]!.detail.text.startsWith(partials[i - 1]!.detail.text)).to.equal(true);
      // The answer is ~3 sentences of Flite speech: several seconds, clearly above silence.
      expect(c.probe.audibleMs).to.be.within(4000, 20000);
      expect(c.probe.peakRms).to.be.above(0.03);
      for (const k of ['speechEndToTranscriptMs', 'transcriptToFirstTokenMs', 'firstTokenToFirstAudioMs', 'speechEndToFirstAudioMs']) {
        expect(metrics.detail[k], k).to.be.a('number').at.least(0);
      }
      const states = c.log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state);
      expect(states).to.include.members(['listening', 'user-speaking', 'transcribing', 'thinking', 'speaking']);
      expect(states.indexOf('thinking')).to.be.below(states.indexOf('speaking'));
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
    } finally {
      c.close();
    }
  });
});
