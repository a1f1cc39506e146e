// @fixture question.wav
import { expect } from '@esm-bundle/chai';
import { Validator } from '@cfworker/json-schema';
import schema from '../../docs/metrics-beacon.schema.json';
import { converse, truth } from '../conversation/e2e.js';

interface Kept {
  contentType: string;
  body: string;
}

async function beacons(): Promise<Kept[]> {
  return (await fetch('/__beacons')).json();
}

async function waitForBeacon(pred: (b: any) => boolean, ms = 10000): Promise<{ kept: Kept; beacon: any }> {
  const until = performance.now() + ms;
  for (;;) {
    for (const kept of await beacons()) {
      const beacon = JSON.parse(kept.body);
      if (pred(beacon)) return { kept, beacon };
    }
    if (performance.now() > until) throw new Error(`no such beacon within ${ms} ms; kept ${JSON.stringify(await beacons()).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Words of four letters or more, lower case: what must not appear in a beacon. */
const words = (text: string) => [...new Set(text.toLowerCase().match(/[a-z']{4,}/g) ?? [])];

describe('<voice-assistant metrics-url>', () => {
  it('sends the turn\'s per-stage percentiles on page hide, valid against the schema, without a word said or answered', async function () {
    this.timeout(120000);
    await fetch('/__beacons', { method: 'DELETE' });
    const c = await converse({ mode: 'conversation', chat: 'remote', 'metrics-url': `${location.origin}/__beacons` });
    try {
      const transcript = await c.next('voice-transcript', (d) => d.final, 40000);
      const answer = await c.next('voice-response', (d) => d.final, 30000);
      const metrics = (await c.next('voice-metrics', undefined, 60000)).detail;
      await c.next('voice-state', (d) => d.previous === 'speaking', 60000);
      expect(await beacons(), 'nothing before a minute or page hide').to.deep.equal([]);

      window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false }));
      const { kept, beacon } = await waitForBeacon((b) => b.reason === 'pagehide');
      const result = new Validator(schema as object, '2020-12', false).validate(beacon);
      expect(result.errors.map((e) => `${e.instanceLocation}: ${e.error}`), 'valid against docs/metrics-beacon.schema.json').to.deep.equal([]);
      expect(kept.contentType).to.match(/^text\/plain/);
      expect(beacon.turns).to.equal(1);
      expect(beacon.widget).to.deep.equal({ mode: 'conversation', stt: ['remote'], tts: ['remote'], chat: 'remote' });
      const stages: Record<string, { count: number; p50: number; p95: number; p99: number }> = beacon.stages;
      const measured: Record<string, number> = {
        firstAudioMs: metrics.speechEndToFirstAudioMs,
        transcriptionMs: metrics.speechEndToTranscriptMs,
        firstTokenMs: metrics.transcriptToFirstTokenMs,
        speechMs: metrics.firstTokenToFirstAudioMs,
        endpointMs: metrics.endpointMs,
      };
      for (const [stage, value] of Object.entries(measured)) {
        const s = stages[stage]!;
        expect(s.count, stage).to.equal(1);
        // One value: every quantile is that value, to within the histogram's 9 % bucket.
        for (const q of ['p50', 'p95', 'p99'] as const) expect(s[q], `${stage} ${q}`).to.be.closeTo(value, Math.max(0.5, value * 0.1));
      }
      expect(stages.clickToListeningMs!.count, 'click -> listening').to.equal(1);
      expect(stages.clickToListeningMs!.p50).to.be.within(1, 30000);
      expect(stages.assetMs!.count, 'the widget\'s downloads (entry, chunks, model, wasm)').to.be.at.least(3);
      expect(beacon.assets.count).to.equal(stages.assetMs!.count);
      expect(beacon.recentTurns.length).to.equal(1);
      const states = beacon.timeline.map(([s]: [string]) => s);
      expect(states[0], 'the timeline starts at activation').to.equal('loading');
      expect(states).to.include.members(['listening', 'user-speaking', 'transcribing', 'thinking', 'speaking']);
      expect(beacon.vitals.FCP?.value ?? beacon.vitals.TTFB?.value, 'a web vital of the page').to.be.a('number');

      const truthText = (await truth('question.wav'))!.text!;
      const forbidden = [...words(truthText), ...words(transcript.detail.text), ...words(answer.detail.text)];
      expect(forbidden.length).to.be.above(10);
      const body = kept.body.toLowerCase();
      for (const w of forbidden) expect(new RegExp(`\\b${w}\\b`).test(body), `"${w}" in the beacon`).to.equal(false);
      console.log(`[beacon] ${kept.body.length} B; firstAudioMs p50 ${stages.firstAudioMs!.p50} (event ${metrics.speechEndToFirstAudioMs}); none of ${forbidden.length} words`);
    } finally {
      c.close();
    }
  });
});
