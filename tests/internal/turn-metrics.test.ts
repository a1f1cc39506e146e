import { expect } from '@esm-bundle/chai';
import { MAX_MEASURES_PER_NAME, TurnMetrics } from '../../src/internal/turn-metrics.js';

describe('TurnMetrics', () => {
  it('gives the spans of a turn once, and records them as performance measures', () => {
    performance.clearMeasures();
    const t0 = performance.now();
    const m = new TurnMetrics(t0);
    m.mark('transcript', t0 + 400);
    expect(m.finish(), 'not every mark yet').to.equal(undefined);
    m.mark('firstToken', t0 + 450);
    m.mark('firstAudio', t0 + 700);
    m.mark('firstAudio', t0 + 900); // only the first counts
    m.bargedIn(42.04);
    expect(m.finish()).to.deep.equal({
      speechEndToTranscriptMs: 400,
      transcriptToFirstTokenMs: 50,
      firstTokenToFirstAudioMs: 250,
      speechEndToFirstAudioMs: 700,
      bargeInMs: 42,
    });
    expect(m.finish(), 'given once').to.equal(undefined);
    const names = performance.getEntriesByType('measure').map((e) => e.name);
    expect(names).to.include.members(['voice-assistant: speech end → transcript', 'voice-assistant: speech end → first audio']);
  });

  it('keeps the performance measures bounded over a long session', () => {
    performance.clearMeasures();
    for (let i = 0; i < MAX_MEASURES_PER_NAME * 3 + 7; i++) {
      const t = performance.now();
      const m = new TurnMetrics(t);
      m.mark('transcript', t + 1);
      m.mark('firstToken', t + 2);
      m.mark('firstAudio', t + 3);
      m.finish();
    }
    const count = performance.getEntriesByName('voice-assistant: speech end → first audio', 'measure').length;
    expect(count).to.be.within(1, MAX_MEASURES_PER_NAME);
    expect(performance.getEntriesByType('measure').length).to.be.at.most(4 * MAX_MEASURES_PER_NAME);
  });
});
