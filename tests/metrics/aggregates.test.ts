import { expect } from '@esm-bundle/chai';
import { BUCKETS, LogHistogram } from '../../src/metrics/log-histogram.js';
import { MetricsCollector } from '../../src/metrics/metrics-collector.js';
import { MAX_KEYS, MAX_STATES, MAX_TURNS, WidgetAggregates } from '../../src/metrics/widget-aggregates.js';
import { VoiceMetricsEvent } from '../../src/events/voice-metrics-event.js';
import { VoiceStateEvent } from '../../src/events/voice-state-event.js';
import { VoiceErrorEvent } from '../../src/events/voice-error-event.js';
import { VoiceCircuitEvent } from '../../src/events/voice-circuit-event.js';

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be reproduced. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const exact = (sorted: number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

describe('metrics aggregates', () => {
  it('LogHistogram: p50/p95/p99 within one bucket (9 %) of the exact quantiles of a skewed sample', () => {
    const rnd = random(7);
    const h = new LogHistogram();
    const values: number[] = [];
    for (let i = 0; i < 20000; i++) {
      // Log-normal around 600 ms with a long tail, like a turn's latency.
      const v = Math.exp(Math.log(600) + 0.6 * Math.sqrt(-2 * Math.log(rnd() || 1e-9)) * Math.cos(2 * Math.PI * rnd()));
      values.push(v);
      h.add(v);
    }
    values.sort((a, b) => a - b);
    const s = h.summary();
    for (const [q, got] of [[0.5, s.p50], [0.95, s.p95], [0.99, s.p99]] as const) {
      const want = exact(values, q);
      expect(got / want, `p${q * 100}: ${got} vs exact ${want}`).to.be.within(0.99, 1.1);
    }
    expect(s.count).to.equal(20000);
    expect(s.min).to.be.closeTo(values[0]!, 0.001);
    expect(s.max).to.be.closeTo(values.at(-1)!, 0.001);
    expect(s.buckets.reduce((n, [, c]) => n + c, 0)).to.equal(20000);
  });

  it('keeps its memory bounded after 10,000 simulated turns through the element events', () => {
    const host = new EventTarget();
    const c = new MetricsCollector(host, { assetFolder: 'http://nowhere.invalid/' });
    const rnd = random(11);
    const simulate = (turns: number) => {
      for (let i = 0; i < turns; i++) {
        const transcript = 100 + rnd() * 900;
        const token = 20 + rnd() * 300;
        const audio = 50 + rnd() * 400;
        host.dispatchEvent(
          new VoiceMetricsEvent({
            speechEndToTranscriptMs: transcript,
            transcriptToFirstTokenMs: token,
            firstTokenToFirstAudioMs: audio,
            speechEndToFirstAudioMs: transcript + token + audio,
            endpointMs: 400 + rnd() * 200,
            ...(i % 10 === 0 ? { bargeInMs: 30 + rnd() * 100 } : {}),
          }),
        );
        host.dispatchEvent(new VoiceStateEvent({ state: 'speaking', previous: 'thinking' }));
        // Engine names come from the page (registerEngine): a new one every turn must not grow the tables.
        c.failover('stt', `engine-${i}`);
        host.dispatchEvent(new VoiceErrorEvent({ code: `code-${i % 50}` as never, message: 'x', recoverable: true }));
        host.dispatchEvent(new VoiceCircuitEvent({ engine: `engine-${i}`, operation: 'tts', state: 'open' }));
      }
    };
    simulate(100);
    const snapshot100 = JSON.stringify(c.aggregates.take()).length;
    simulate(10_000);
    const a = c.aggregates.take();
    const snapshot10k = JSON.stringify(a).length;
    c.dispose();
    expect(a.turns).to.equal(10_000);
    expect(a.stages.firstAudioMs!.count).to.equal(10_000);
    expect(a.stages.bargeInMs!.count).to.equal(1000);
    expect(a.stages.firstAudioMs!.buckets.length).to.be.at.most(BUCKETS);
    expect(Object.keys(a.failovers).length).to.be.at.most(MAX_KEYS + 1);
    expect(Object.keys(a.errors).length).to.be.at.most(MAX_KEYS + 1);
    expect(Object.keys(a.circuits).length).to.be.at.most(MAX_KEYS + 1);
    expect(a.failovers.other).to.equal(10_000 - MAX_KEYS);
    expect(a.recentTurns.length).to.equal(MAX_TURNS);
    expect(a.timeline.length).to.be.at.most(MAX_STATES);
    console.log(`[aggregates] beacon body after 100 turns ${snapshot100} B, after 10,000 turns ${snapshot10k} B`);
    // A hundred times the turns: the same few kilobytes (a bucket count, not a list of values).
    expect(snapshot10k).to.be.below(16 * 1024);
    expect(snapshot10k / snapshot100).to.be.below(2);
    // p50 of speech end -> first audio: sum of three uniform spans, about 1,045 ms.
    expect(a.stages.firstAudioMs!.p50).to.be.within(900, 1200);
  });

  it('a turn given again with its barge-in counts the barge-in, not a second turn', () => {
    const host = new EventTarget();
    const c = new MetricsCollector(host, { assetFolder: 'http://nowhere.invalid/' });
    const d = { speechEndToTranscriptMs: 300, transcriptToFirstTokenMs: 50, firstTokenToFirstAudioMs: 150, speechEndToFirstAudioMs: 500, endpointMs: 420 };
    host.dispatchEvent(new VoiceMetricsEvent(d));
    host.dispatchEvent(new VoiceMetricsEvent({ ...d, bargeInMs: 80 }));
    const a = c.aggregates.take();
    c.dispose();
    expect(a.turns).to.equal(1);
    expect(a.stages.firstAudioMs!.count).to.equal(1);
    expect(a.stages.bargeInMs!.count).to.equal(1);
    expect(a.stages.bargeInMs!.p50).to.be.closeTo(80, 80 * 0.1);
    expect(a.recentTurns).to.deep.equal([{ at: a.recentTurns[0]!.at, transcriptionMs: 300, firstTokenMs: 50, speechMs: 150, endpointMs: 420 }]);
  });

  it('take() starts a new period; restore() puts an unsent one back', () => {
    const w = new WidgetAggregates();
    w.error('timeout');
    w.observe('endpointMs', 500);
    const first = w.take();
    expect(w.empty).to.equal(true);
    w.observe('endpointMs', 700);
    w.restore(first);
    const both = w.take();
    expect(both.errors).to.deep.equal({ timeout: 1 });
    expect(both.stages.endpointMs!.count).to.equal(2);
    expect(both.stages.endpointMs!.max).to.be.closeTo(700, 70);
  });
});
