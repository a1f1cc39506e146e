// Widget beacons (metrics-url, docs/metrics-beacon.schema.json) aggregated into Prometheus
// series: a histogram per stage, counters of errors, failovers, circuits and rate limits, and
// web vitals; plus the last beacons' figures in memory for demo/dashboard.html. Beacons come
// from any page: each is validated against the committed schema, and label values are checked
// and capped so that no sender can grow the series without bound.
import { Validator } from '@cfworker/json-schema';
import { readFileSync } from 'node:fs';
import { Counter, Histogram, type Registry } from 'prom-client';

const schema = JSON.parse(readFileSync(new URL('../../../docs/metrics-beacon.schema.json', import.meta.url), 'utf8')) as object;
const validator = new Validator(schema, '2020-12', false);

/** Most values of one observation count fed into a histogram per bucket (prom-client observes one value at a time). */
const MAX_PER_BUCKET = 10_000;
/** Distinct label sets per counter before new ones count as `other`. */
const MAX_SERIES = 200;
/** Beacons kept for the dashboard. */
export const RECENT_BEACONS = 120;

interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  buckets: [number, number][];
}

/** The part of a beacon read here (the schema holds the rest). */
export interface Beacon {
  reason: string;
  turns: number;
  stages: Record<string, Summary>;
  errors: Record<string, number>;
  failovers: Record<string, number>;
  circuits: Record<string, number>;
  rateLimited: Record<string, number>;
  assets: { count: number; bytes: number };
  longFrames: { count: number; totalMs: number; maxMs: number; blockingMs: number };
  vitals: Record<string, { value: number; rating: string }>;
  recentTurns: { at: number; transcriptionMs: number; firstTokenMs: number; speechMs: number; endpointMs?: number }[];
  timeline: [string, number][];
}

/** What the dashboard reads of one beacon. */
export interface RecentBeacon {
  receivedAt: number;
  reason: string;
  turns: number;
  stages: Record<string, { count: number; p50: number; p95: number; p99: number }>;
  errors: Record<string, number>;
  failovers: Record<string, number>;
  circuits: Record<string, number>;
  recentTurns: Beacon['recentTurns'];
  timeline: Beacon['timeline'];
  vitals: Beacon['vitals'];
}

const LABEL = /^[A-Za-z0-9_.-]{1,40}$/;
const label = (v: string | undefined) => (v !== undefined && LABEL.test(v) ? v : 'invalid');

export class BeaconAggregator {
  private readonly stageSeconds: Histogram<'stage'>;
  private readonly vadRtf: Histogram;
  private readonly vitals: Histogram<'name'>;
  private readonly cls: Histogram;
  private readonly counters: Record<'beacons' | 'turns' | 'errors' | 'failovers' | 'circuits' | 'rateLimited' | 'assetBytes' | 'assets' | 'longFrames' | 'longFrameSeconds', Counter<string>>;
  private readonly series = new Map<string, Set<string>>();
  private readonly recentBeacons: RecentBeacon[] = [];

  constructor(registry: Registry) {
    const registers = [registry];
    this.stageSeconds = new Histogram({
      name: 'voice_widget_stage_seconds',
      help: 'Widget turn stages from beacons (endpointMs, transcriptionMs, firstTokenMs, speechMs, firstAudioMs, bargeInMs, clickToListeningMs, assetMs), in seconds; values are the upper bounds of the widget\'s log buckets (within 9 %).',
      labelNames: ['stage'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 30],
      registers,
    });
    this.vadRtf = new Histogram({ name: 'voice_widget_vad_rtf', help: 'VAD inference time over audio time, from beacons.', buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1], registers });
    this.vitals = new Histogram({ name: 'voice_widget_web_vital_seconds', help: 'Host page web vitals (LCP, FCP, TTFB, INP) from beacons.', labelNames: ['name'], buckets: [0.05, 0.1, 0.2, 0.5, 1, 1.8, 2.5, 4, 8], registers });
    this.cls = new Histogram({ name: 'voice_widget_web_vital_cls', help: 'Host page cumulative layout shift from beacons.', buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1], registers });
    const counter = (name: string, help: string, labelNames: string[] = []) => new Counter({ name, help, labelNames, registers });
    this.counters = {
      beacons: counter('voice_widget_beacons_total', 'Widget beacons received, by reason (interval, hidden, pagehide, removed, invalid).', ['reason']),
      turns: counter('voice_widget_turns_total', 'Turns answered aloud, from beacons.'),
      errors: counter('voice_widget_errors_total', 'voice-error codes, from beacons.', ['code']),
      failovers: counter('voice_widget_failovers_total', 'An engine failed and the work moved to the next, from beacons.', ['operation', 'engine']),
      circuits: counter('voice_widget_circuit_transitions_total', 'Circuit breaker transitions in widgets, from beacons.', ['engine', 'operation', 'state']),
      rateLimited: counter('voice_widget_rate_limited_total', 'Calls refused by the widget\'s budget or answered 429, from beacons.', ['operation']),
      assets: counter('voice_widget_asset_downloads_total', 'Files the widget downloaded, from beacons.'),
      assetBytes: counter('voice_widget_asset_bytes_total', 'Bytes the widget downloaded (where Resource Timing shows them), from beacons.'),
      longFrames: counter('voice_widget_long_frames_total', 'Long animation frames the widget\'s scripts took part in, from beacons.'),
      longFrameSeconds: counter('voice_widget_long_frame_blocking_seconds_total', 'Blocking time of those frames, from beacons.'),
    };
  }

  /** The last beacons, oldest first. */
  recent(): readonly RecentBeacon[] {
    return this.recentBeacons;
  }

  /** Validates and records one beacon body; returns the schema errors (empty when recorded). */
  record(body: unknown): string[] {
    const result = validator.validate(body);
    if (!result.valid) {
      this.counters.beacons.inc({ reason: 'invalid' });
      return result.errors.slice(0, 5).map((e) => `${e.instanceLocation}: ${e.error}`);
    }
    const b = body as Beacon;
    this.counters.beacons.inc({ reason: b.reason });
    this.counters.turns.inc(b.turns);
    for (const [stage, s] of Object.entries(b.stages)) {
      const h = stage === 'vadRtf' ? (v: number) => this.vadRtf.observe(v) : (v: number) => this.stageSeconds.observe({ stage }, v / 1000);
      for (const [le, n] of s.buckets) for (let i = 0; i < Math.min(n, MAX_PER_BUCKET); i++) h(le);
    }
    this.count('errors', b.errors, (k) => ({ code: label(k) }));
    this.count('failovers', b.failovers, (k) => {
      const [operation, engine] = k.split(':');
      return { operation: label(operation), engine: label(engine) };
    });
    this.count('circuits', b.circuits, (k) => {
      const [engine, operation, state] = k.split(':');
      return { engine: label(engine), operation: label(operation), state: label(state) };
    });
    this.count('rateLimited', b.rateLimited, (k) => ({ operation: label(k) }));
    this.counters.assets.inc(b.assets.count);
    this.counters.assetBytes.inc(b.assets.bytes);
    this.counters.longFrames.inc(b.longFrames.count);
    this.counters.longFrameSeconds.inc(b.longFrames.blockingMs / 1000);
    for (const [name, v] of Object.entries(b.vitals)) {
      if (name === 'CLS') this.cls.observe(v.value);
      else this.vitals.observe({ name }, v.value / 1000);
    }
    this.recentBeacons.push({
      receivedAt: Date.now(),
      reason: b.reason,
      turns: b.turns,
      stages: Object.fromEntries(Object.entries(b.stages).map(([k, { count, p50, p95, p99 }]) => [k, { count, p50, p95, p99 }])),
      errors: b.errors,
      failovers: b.failovers,
      circuits: b.circuits,
      recentTurns: b.recentTurns,
      timeline: b.timeline,
      vitals: b.vitals,
    });
    if (this.recentBeacons.length > RECENT_BEACONS) this.recentBeacons.shift();
    return [];
  }

  /** Adds a counter table, with at most MAX_SERIES label sets per counter (the rest as `other`). */
  private count(name: 'errors' | 'failovers' | 'circuits' | 'rateLimited', table: Record<string, number>, labels: (key: string) => Record<string, string>) {
    const seen = this.series.get(name) ?? new Set<string>();
    this.series.set(name, seen);
    for (const [key, n] of Object.entries(table)) {
      let l = labels(key);
      const id = JSON.stringify(l);
      if (!seen.has(id)) {
        if (seen.size >= MAX_SERIES) l = Object.fromEntries(Object.keys(l).map((k) => [k, 'other']));
        else seen.add(id);
      }
      this.counters[name].inc(l, n);
    }
  }
}
