// The realtime endpoint on /metrics: open sessions, sessions by kind, refusals, client events,
// cancels and answers prepared in the pause (read from RealtimeStats when scraped), streaming
// recognisers, and two latency histograms the sessions report as they happen: commit -> final
// transcript, and response.create -> first audio delta (what the user waits for after the
// turn ends, on the server's side).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { RealtimeStats } from '../realtime/stats.ts';

/** Client event types counted by name; any other is `other`, so a client cannot add series. */
const EVENT_TYPES = new Set([
  'session.update',
  'input_audio_buffer.append',
  'input_audio_buffer.commit',
  'input_audio_buffer.clear',
  'response.create',
  'response.cancel',
  'conversation.item.truncate',
]);

export type RealtimeTiming = 'commit_to_final_transcript' | 'create_to_first_audio';

/** A counter whose value is read from elsewhere when scraped (prom-client counters cannot be set). */
function readCounter(registry: Registry, name: string, help: string, labelNames: string[], read: () => [Record<string, string>, number][]) {
  return new Counter({
    name,
    help,
    labelNames,
    registers: [registry],
    collect() {
      this.reset();
      for (const [labels, v] of read()) if (v > 0) this.inc(labels, v);
    },
  });
}

export class RealtimeMetrics {
  private readonly timings: Histogram<'stage'>;

  constructor(registry: Registry, stats: () => RealtimeStats | undefined, streams: () => { open: number; max: number; refused: number } | undefined) {
    new Gauge({
      name: 'voice_server_realtime_sessions_open',
      help: 'Realtime sessions (WebSockets) open now.',
      registers: [registry],
      collect() {
        this.set(stats()?.open ?? 0);
      },
    });
    readCounter(registry, 'voice_server_realtime_sessions_total', 'Realtime sessions accepted, by kind: all, with a streaming recogniser of their own, relayed to the upstream.', ['kind'], () => {
      const v = stats();
      return v ? [[{ kind: 'accepted' }, v.sessions], [{ kind: 'streamed' }, v.streamed], [{ kind: 'relayed' }, v.relayed]] : [];
    });
    readCounter(registry, 'voice_server_realtime_refused_total', 'Realtime upgrades refused for their credential, by code.', ['code'], () => Object.entries(stats()?.refused ?? {}).map(([code, n]) => [{ code }, n]));
    readCounter(registry, 'voice_server_realtime_client_events_total', 'Client events received, by type (unknown types as other).', ['type'], () => {
      const by: Record<string, number> = {};
      for (const [type, n] of Object.entries(stats()?.received ?? {})) {
        const k = EVENT_TYPES.has(type) ? type : 'other';
        by[k] = (by[k] ?? 0) + n;
      }
      return Object.entries(by).map(([type, n]) => [{ type }, n]);
    });
    readCounter(registry, 'voice_server_realtime_responses_cancelled_total', 'Responses that ended cancelled (barge-in).', [], () => [[{}, stats()?.cancelled ?? 0]]);
    readCounter(registry, 'voice_server_realtime_speculations_total', 'Answers prepared while the user paused, by outcome: prepared, adopted by the response.create, adopted but the final transcript differed.', ['outcome'], () => {
      const v = stats();
      return v ? [[{ outcome: 'prepared' }, v.speculations], [{ outcome: 'adopted' }, v.speculationsAdopted], [{ outcome: 'mismatched' }, v.speculationMismatches]] : [];
    });
    new Gauge({
      name: 'voice_server_realtime_streaming_recognisers',
      help: 'Streaming recognisers of realtime sessions: leased now, and the most allowed.',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        const v = streams();
        if (!v) return;
        this.set({ state: 'open' }, v.open);
        this.set({ state: 'max' }, v.max);
      },
    });
    readCounter(registry, 'voice_server_realtime_streaming_refused_total', 'Sessions that found every streaming recogniser leased (they re-decode instead).', [], () => [[{}, streams()?.refused ?? 0]]);
    this.timings = new Histogram({
      name: 'voice_server_realtime_stage_seconds',
      help: 'Realtime turn stages on the server: commit -> final transcript, response.create -> first audio delta.',
      labelNames: ['stage'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }

  timed(stage: RealtimeTiming, ms: number): void {
    this.timings.observe({ stage }, ms / 1000);
  }
}
