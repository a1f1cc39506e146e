import type { VoiceCircuitDetail } from '../events/voice-circuit-event.js';
import type { VoiceErrorDetail } from '../events/voice-error-event.js';
import type { VoiceMetricsDetail } from '../events/voice-metrics-event.js';
import type { VoiceRateLimitedDetail } from '../events/voice-rate-limited-event.js';
import type { VoiceStateDetail } from '../events/voice-state-event.js';
import { WidgetAggregates } from './widget-aggregates.js';

/** The `performance.mark` the element sets on `start()`: click -> listening counts from it. */
export const ACTIVATE_MARK = 'voice-assistant: activate';

/** A Long Animation Frame entry (https://w3c.github.io/long-animation-frames/), as far as it is read here. */
interface LoafEntry extends PerformanceEntry {
  blockingDuration: number;
  scripts: { sourceURL: string; duration: number }[];
}

export interface CollectorOptions {
  /** Folder the widget's code and assets come from: resources and scripts under it are the widget's. */
  assetFolder: string;
  /** The VAD's cumulative inference and audio time, when a VAD runs. */
  vadStats?: () => Promise<{ audioMs: number; inferenceMs: number } | undefined> | undefined;
}

/**
 * Fills `WidgetAggregates` from what the element already says: its events (`voice-metrics`,
 * `voice-error`, `voice-circuit`, `voice-rate-limited`, `voice-state`), Resource Timing for the
 * asset downloads, and Long Animation Frames whose scripts came from the widget's folder.
 * Reads no text: only the numeric and code fields of the events.
 */
export class MetricsCollector {
  readonly aggregates = new WidgetAggregates();
  private readonly observers: PerformanceObserver[] = [];
  private readonly off: (() => void)[] = [];
  private last?: VoiceMetricsDetail;
  private vadSeen = { audioMs: 0, inferenceMs: 0 };
  private seenState = false;

  constructor(
    private readonly host: EventTarget,
    private readonly options: CollectorOptions,
  ) {
    const a = this.aggregates;
    this.on<VoiceMetricsDetail>('voice-metrics', (d) => this.turn(d));
    this.on<VoiceErrorDetail>('voice-error', (d) => a.error(d.code));
    this.on<VoiceCircuitDetail>('voice-circuit', (d) => a.circuit(d.engine, d.operation, d.state));
    this.on<VoiceRateLimitedDetail>('voice-rate-limited', (d) => a.rateLimit(d.operation));
    this.on<VoiceStateDetail>('voice-state', (d) => this.state(d));
    this.observe('resource', (e) => {
      const r = e as PerformanceResourceTiming;
      if (r.name.startsWith(options.assetFolder)) a.asset(r.duration, r.transferSize || r.encodedBodySize);
    });
    this.observe('long-animation-frame', (e) => {
      const f = e as LoafEntry;
      if (f.scripts?.some((s) => s.sourceURL.startsWith(options.assetFolder))) a.longFrame(f.duration, f.blockingDuration ?? 0);
    });
  }

  /** A failover inside an engine chain (the session tells it; no event carries it). */
  failover(operation: string, engine: string): void {
    this.aggregates.failover(operation, engine);
  }

  /** Reads the VAD's real-time factor over the time since the last call. */
  async sampleVad(): Promise<void> {
    const s = await this.options.vadStats?.()?.catch(() => undefined);
    if (!s) return;
    const audio = s.audioMs - this.vadSeen.audioMs;
    const inference = s.inferenceMs - this.vadSeen.inferenceMs;
    // A new VAD worker starts its counts at 0 again.
    if (audio < 0 || inference < 0) this.vadSeen = { audioMs: 0, inferenceMs: 0 };
    else if (audio >= 1000) {
      this.aggregates.observe('vadRtf', inference / audio);
      this.vadSeen = { audioMs: s.audioMs, inferenceMs: s.inferenceMs };
    }
  }

  dispose(): void {
    for (const o of this.observers) o.disconnect();
    for (const f of this.off) f();
    this.observers.length = this.off.length = 0;
  }

  private turn(d: VoiceMetricsDetail) {
    const a = this.aggregates;
    const prev = this.last;
    this.last = d;
    // The same turn again, now with the barge-in that interrupted it (turn-metrics.ts `interrupted()`).
    if (prev && d.bargeInMs !== undefined && prev.bargeInMs === undefined && prev.speechEndToFirstAudioMs === d.speechEndToFirstAudioMs && prev.speechEndToTranscriptMs === d.speechEndToTranscriptMs) {
      return a.observe('bargeInMs', d.bargeInMs);
    }
    a.turn({
      at: Math.round(performance.now()),
      transcriptionMs: d.speechEndToTranscriptMs,
      firstTokenMs: d.transcriptToFirstTokenMs,
      speechMs: d.firstTokenToFirstAudioMs,
      firstAudioMs: d.speechEndToFirstAudioMs,
      ...(d.endpointMs !== undefined ? { endpointMs: d.endpointMs } : {}),
      ...(d.bargeInMs !== undefined ? { bargeInMs: d.bargeInMs } : {}),
    });
  }

  private state({ state, previous }: VoiceStateDetail) {
    const now = performance.now();
    const mark = previous === 'loading' ? performance.getEntriesByName(ACTIVATE_MARK, 'mark').at(-1) : undefined;
    // Attached while loading (its chunk loads then): the timeline starts at the click all the same.
    if (mark && !this.seenState) this.aggregates.state('loading', mark.startTime, true);
    this.seenState = true;
    this.aggregates.state(state, now, previous === 'idle' && state === 'loading');
    if (mark && state === 'listening') this.aggregates.observe('clickToListeningMs', now - mark.startTime);
  }

  private on<T>(type: string, f: (detail: T) => void) {
    const listener = (e: Event) => f((e as CustomEvent<T>).detail);
    this.host.addEventListener(type, listener);
    this.off.push(() => this.host.removeEventListener(type, listener));
  }

  /** A buffered PerformanceObserver of `type`, where this browser has that entry type. */
  private observe(type: string, f: (e: PerformanceEntry) => void) {
    if (!PerformanceObserver.supportedEntryTypes?.includes(type)) return;
    const o = new PerformanceObserver((list) => list.getEntries().forEach(f));
    o.observe({ type, buffered: true });
    this.observers.push(o);
  }
}
