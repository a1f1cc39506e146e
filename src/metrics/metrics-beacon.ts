import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import { installId } from '../internal/config-store.js';
import { MetricsCollector, type CollectorOptions } from './metrics-collector.js';
import type { AggregatesSnapshot } from './widget-aggregates.js';

/** The schema id of a beacon (docs/metrics-beacon.schema.json); a new id, never a changed meaning. */
export const BEACON_SCHEMA = 'voice-assistant-metrics/1';
/** A period is sent every minute, and when the page is hidden or the element removed. */
export const BEACON_INTERVAL_MS = 60_000;
/** A period the browser refused to queue is kept for the next beacon this many times, then dropped. */
export const MAX_ATTEMPTS = 3;
/** After this many refusals in a row the beacon stops for the page's life: it never retries forever. */
export const MAX_FAILURES = 10;
/** Browsers refuse a beacon over 64 KiB; past this the histograms go without their buckets. */
const MAX_BYTES = 60_000;

type VitalName = 'LCP' | 'CLS' | 'INP' | 'FCP' | 'TTFB';

/** One beacon: the numbers of one period, never text the user said or heard. */
export interface BeaconPayload extends AggregatesSnapshot {
  schema: typeof BEACON_SCHEMA;
  installId: string;
  seq: number;
  reason: 'interval' | 'hidden' | 'pagehide' | 'removed';
  sentAt: number;
  periodMs: number;
  widget: { mode: string; stt: readonly string[]; tts: readonly string[]; chat: string };
  /** Web vitals of the host page that changed since the last beacon (https://web.dev/articles/vitals). */
  vitals: Partial<Record<VitalName, { value: number; rating: string }>>;
}

export interface BeaconOptions extends CollectorOptions {
  url: string;
  widget: BeaconPayload['widget'];
  intervalMs?: number;
}

/**
 * The opt-in `metrics-url` beacon (DESIGN.md): every `BEACON_INTERVAL_MS`, on page hide and on
 * removal, the period's aggregates and the page's changed web vitals go out in one
 * `navigator.sendBeacon` (a `text/plain` body, so a cross-origin collector needs no preflight).
 * A beacon the browser refuses is kept for `MAX_ATTEMPTS` periods, then dropped; after
 * `MAX_FAILURES` refusals in a row it stops. Nothing here can throw into the widget.
 */
export class MetricsBeacon {
  readonly collector: MetricsCollector;
  /** Resolves when the install id is known (nothing is sent before). */
  readonly ready: Promise<void>;
  private id = '';
  private seq = 0;
  private periodStart = performance.now();
  private attempts = 0;
  private failures = 0;
  private timer?: ReturnType<typeof setInterval>;
  private readonly vitals: BeaconPayload['vitals'] = {};
  private stopped = false;

  constructor(
    host: EventTarget,
    private readonly options: BeaconOptions,
  ) {
    this.collector = new MetricsCollector(host, options);
    const keep = (m: Metric) => (this.vitals[m.name as VitalName] = { value: Math.round(m.value * 1000) / 1000, rating: m.rating });
    for (const on of [onLCP, onCLS, onINP, onFCP, onTTFB]) on(keep, { reportAllChanges: true });
    addEventListener('pagehide', this.onPageHide);
    document.addEventListener('visibilitychange', this.onVisibility);
    this.timer = setInterval(() => void this.periodic(), options.intervalMs ?? BEACON_INTERVAL_MS);
    this.ready = installId().then(
      (id) => void (this.id = id),
      () => void (this.id = crypto.randomUUID()),
    );
  }

  failover(operation: string, engine: string) {
    this.collector.failover(operation, engine);
  }

  /** Sends the last period and lets go of every timer, observer and listener. Safe twice. */
  dispose(): void {
    if (!this.stopped) this.send('removed');
    this.stop();
  }

  private stop() {
    this.stopped = true;
    clearInterval(this.timer);
    removeEventListener('pagehide', this.onPageHide);
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.collector.dispose();
  }

  private onPageHide = () => this.send('pagehide');
  private onVisibility = () => {
    if (document.visibilityState === 'hidden') this.send('hidden');
  };

  private async periodic() {
    await this.collector.sampleVad();
    this.send('interval');
  }

  /** Sends the period now (synchronously: on page hide there is no later). */
  send(reason: BeaconPayload['reason']): boolean {
    const a = this.collector.aggregates;
    const vitals = { ...this.vitals };
    if (this.stopped || !this.id || (a.empty && !Object.keys(vitals).length)) return false;
    const now = performance.now();
    const snapshot = a.take();
    const payload: BeaconPayload = {
      schema: BEACON_SCHEMA,
      installId: this.id,
      seq: this.seq,
      reason,
      sentAt: Date.now(),
      periodMs: Math.round(now - this.periodStart),
      widget: this.options.widget,
      vitals,
      ...snapshot,
    };
    let body = JSON.stringify(payload);
    if (body.length > MAX_BYTES) {
      for (const s of Object.values(payload.stages)) s.buckets = [];
      body = JSON.stringify(payload);
    }
    let queued = false;
    try {
      queued = navigator.sendBeacon(this.options.url, body);
    } catch {
      // An invalid URL or a policy that forbids it: the same as refused.
    }
    if (queued) {
      this.seq++;
      this.periodStart = now;
      this.attempts = this.failures = 0;
      for (const k of Object.keys(vitals) as VitalName[]) if (this.vitals[k] === vitals[k]) delete this.vitals[k];
      return true;
    }
    if (++this.attempts < MAX_ATTEMPTS) a.restore(snapshot);
    else this.attempts = 0;
    if (++this.failures >= MAX_FAILURES) this.stop();
    return false;
  }
}

/** The lazy chunk's entry: loaded only when `metrics-url` is set and a session starts. */
export function startMetrics(host: EventTarget, options: BeaconOptions): MetricsBeacon {
  return new MetricsBeacon(host, options);
}
