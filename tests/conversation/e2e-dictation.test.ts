// @fixture dictation.wav
import { expect } from '@esm-bundle/chai';
import { converse, truth, wer } from './e2e.js';

describe('<voice-assistant> dictation against the reference server', () => {
  it('emits a voice-transcript of the spoken sentence with a word error rate of at most 25%', async function () {
    this.timeout(60000);
    const t = await truth('dictation.wav');
    const c = await converse({ mode: 'dictation' });
    try {
      const { detail } = await c.next('voice-transcript', undefined, 40000);
      const reference = t?.text ?? 'remind me to call my mother tomorrow morning at nine';
      const rate = wer(reference, detail.text);
      console.log(`[dictation] WER ${(rate * 100).toFixed(1)}%: heard "${detail.text}" for "${reference}"${t ? '' : ' (fixtures.json missing: reference assumed)'}; engine ${detail.engine}, speech end -> transcript ${detail.latencyMs} ms`);
      expect(detail.engine).to.equal('remote');
      expect(detail.final).to.equal(true);
      expect(rate).to.be.at.most(0.25);
      expect(c.log.some((e) => e.type === 'voice-response')).to.equal(false);
      expect(c.log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
    } finally {
      c.close();
    }
  });
});
