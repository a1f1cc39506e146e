import { LogHistogram, type HistogramSummary } from './log-histogram.js';

/** The stages of a turn and of the widget's life that get a histogram (DESIGN.md, `metrics-url`). */
export const STAGES = [
  /** Last voiced frame -> the turn ended (`silence-ms` and the VAD's delay). */
  'endpointMs',
  /** Last voiced frame -> transcript. */
  'transcriptionMs',
  /** Transcript -> first token of the answer. */
  'firstTokenMs',
  /** First token -> first audio (speech synthesis). */
  'speechMs',
  /** Last voiced frame -> first audio: the silence the user hears. */
  'firstAudioMs',
  /** User speech onset -> assistant audio stopped. */
  'bargeInMs',
  /** Click (activation) -> listening. */
  'clickToListeningMs',
  /** VAD inference time / audio time, per beacon period. */
  'vadRtf',
  /** Duration of each asset the widget downloaded (Resource Timing). */
  'assetMs',
] as const;
export type Stage = (typeof STAGES)[number];

/** One turn's breakdown, kept for the last few turns (numbers only). */
export interface TurnBreakdown {
  /** ms since the page's time origin when the first audio started. */
  at: number;
  transcriptionMs: number;
  firstTokenMs: number;
  speechMs: number;
  endpointMs?: number;
}

/** Most distinct keys a counter table keeps (engine names can be registered by the page); the rest count under `other`. */
export const MAX_KEYS = 32;
/** Turns kept for the per-turn breakdown; states kept for the timeline. */
export const MAX_TURNS = 20;
export const MAX_STATES = 64;

class Counters {
  readonly table: Record<string, number> = {};
  private keys = 0;
  add(key: string, n = 1) {
    if (!(key in this.table)) {
      if (this.keys >= MAX_KEYS) key = 'other';
      else this.keys++;
    }
    this.table[key] = (this.table[key] ?? 0) + n;
  }
}

export interface AggregatesSnapshot {
  turns: number;
  stages: Partial<Record<Stage, HistogramSummary>>;
  errors: Record<string, number>;
  /** `operation:engine` -> times that engine failed and the work moved on. */
  failovers: Record<string, number>;
  /** `engine:operation:state` -> transitions. */
  circuits: Record<string, number>;
  /** operation -> calls refused by the client-side budget or answered 429. */
  rateLimited: Record<string, number>;
  assets: { count: number; bytes: number };
  /** Long animation frames the widget's own scripts took part in. */
  longFrames: { count: number; totalMs: number; maxMs: number; blockingMs: number };
  recentTurns: TurnBreakdown[];
  /** The state timeline of the current (or last) session: `[state, ms since its start]`. */
  timeline: [string, number][];
}

/**
 * Everything the widget measures about itself between two beacons, in bounded memory: one
 * fixed histogram per stage, counter tables capped at `MAX_KEYS`, the last `MAX_TURNS` turns and
 * `MAX_STATES` states. `take()` hands the period over and starts the next one.
 */
export class WidgetAggregates {
  private stages = new Map<Stage, LogHistogram>();
  private errors = new Counters();
  private failovers = new Counters();
  private circuits = new Counters();
  private rateLimited = new Counters();
  private turns = 0;
  private assets = { count: 0, bytes: 0 };
  private longFrames = { count: 0, totalMs: 0, maxMs: 0, blockingMs: 0 };
  private recentTurns: TurnBreakdown[] = [];
  private timeline: [string, number][] = [];
  private timelineStart = 0;

  observe(stage: Stage, value: number | undefined): void {
    if (value === undefined) return;
    let h = this.stages.get(stage);
    if (!h) this.stages.set(stage, (h = new LogHistogram()));
    h.add(value);
  }

  turn(t: TurnBreakdown & { firstAudioMs: number; bargeInMs?: number }): void {
    this.turns++;
    this.observe('endpointMs', t.endpointMs);
    this.observe('transcriptionMs', t.transcriptionMs);
    this.observe('firstTokenMs', t.firstTokenMs);
    this.observe('speechMs', t.speechMs);
    this.observe('firstAudioMs', t.firstAudioMs);
    this.observe('bargeInMs', t.bargeInMs);
    const { at, transcriptionMs, firstTokenMs, speechMs, endpointMs } = t;
    this.recentTurns.push({ at, transcriptionMs, firstTokenMs, speechMs, ...(endpointMs !== undefined ? { endpointMs } : {}) });
    if (this.recentTurns.length > MAX_TURNS) this.recentTurns.shift();
  }

  error(code: string) {
    this.errors.add(code);
  }
  failover(operation: string, engine: string) {
    this.failovers.add(`${operation}:${engine}`);
  }
  circuit(engine: string, operation: string, state: string) {
    this.circuits.add(`${engine}:${operation}:${state}`);
  }
  rateLimit(operation: string) {
    this.rateLimited.add(operation);
  }

  asset(durationMs: number, bytes: number) {
    this.assets.count++;
    this.assets.bytes += bytes;
    this.observe('assetMs', durationMs);
  }

  longFrame(durationMs: number, blockingMs: number) {
    const f = this.longFrames;
    f.count++;
    f.totalMs += durationMs;
    f.blockingMs += blockingMs;
    f.maxMs = Math.max(f.maxMs, durationMs);
  }

  /** A state change at `now` (performance time); `loading` from `idle` starts a new timeline. */
  state(state: string, now: number, fresh = false) {
    if (fresh || !this.timeline.length) {
      this.timeline = [];
      this.timelineStart = now;
    }
    if (this.timeline.length >= MAX_STATES) this.timeline.shift();
    this.timeline.push([state, Math.round(now - this.timelineStart)]);
  }

  /** Whether anything was measured since the last `take()`. */
  get empty(): boolean {
    return !this.turns && !this.stages.size && !Object.keys(this.errors.table).length && !this.assets.count && !this.longFrames.count;
  }

  /** The period's figures; the counters start again (the timeline carries over). */
  take(): AggregatesSnapshot {
    const r = (v: number) => Math.round(v * 10) / 10;
    const snap: AggregatesSnapshot = {
      turns: this.turns,
      stages: Object.fromEntries([...this.stages].map(([k, h]) => [k, h.summary()])),
      errors: this.errors.table,
      failovers: this.failovers.table,
      circuits: this.circuits.table,
      rateLimited: this.rateLimited.table,
      assets: { ...this.assets },
      longFrames: { count: this.longFrames.count, totalMs: r(this.longFrames.totalMs), maxMs: r(this.longFrames.maxMs), blockingMs: r(this.longFrames.blockingMs) },
      recentTurns: this.recentTurns,
      timeline: [...this.timeline],
    };
    this.stages = new Map();
    this.errors = new Counters();
    this.failovers = new Counters();
    this.circuits = new Counters();
    this.rateLimited = new Counters();
    this.turns = 0;
    this.assets = { count: 0, bytes: 0 };
    this.longFrames = { count: 0, totalMs: 0, maxMs: 0, blockingMs: 0 };
    this.recentTurns = [];
    return snap;
  }

  /** Puts a period that could not be sent back in front of the current one (its histograms are merged by value). */
  restore(s: AggregatesSnapshot): void {
    this.turns += s.turns;
    for (const [stage, sum] of Object.entries(s.stages) as [Stage, HistogramSummary][]) {
      for (const [le, n] of sum.buckets) for (let i = 0; i < n; i++) this.observe(stage, le);
    }
    for (const [k, n] of Object.entries(s.errors)) this.errors.add(k, n);
    for (const [k, n] of Object.entries(s.failovers)) this.failovers.add(k, n);
    for (const [k, n] of Object.entries(s.circuits)) this.circuits.add(k, n);
    for (const [k, n] of Object.entries(s.rateLimited)) this.rateLimited.add(k, n);
    this.assets.count += s.assets.count;
    this.assets.bytes += s.assets.bytes;
    const f = this.longFrames;
    f.count += s.longFrames.count;
    f.totalMs += s.longFrames.totalMs;
    f.blockingMs += s.longFrames.blockingMs;
    f.maxMs = Math.max(f.maxMs, s.longFrames.maxMs);
    this.recentTurns = [...s.recentTurns, ...this.recentTurns].slice(-MAX_TURNS);
  }
}
