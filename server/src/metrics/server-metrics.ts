// The reference server's Prometheus metrics (prom-client, its own registry per server so that
// several servers in one process, as in the tests, never mix): requests and latency per
// endpoint, engine pool sizes and queues, upstream failures, process metrics, and the widget
// beacons it receives (beacon-aggregator.ts).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BeaconAggregator } from './beacon-aggregator.ts';

/** What the gauges read when /metrics is scraped. */
export interface EngineGauges {
  pool(): { active: number; queued: number; concurrency: number };
  recognisers(): { size: number; busy: number; queued: number } | undefined;
}

/** Routes named in labels; anything else is `static` or `other`, so a scan of random paths adds no series. */
const ROUTE_LABELS: Record<string, string> = {
  '/v1/audio/transcriptions': 'transcription',
  '/v1/audio/speech': 'speech',
  '/v1/chat/completions': 'chat',
  '/v1/realtime': 'realtime',
  '/token': 'token',
  '/healthz': 'health',
  '/metrics': 'metrics',
  '/v1/metrics': 'beacon',
};

export function routeLabel(path: string): string {
  if (ROUTE_LABELS[path]) return ROUTE_LABELS[path];
  if (path.startsWith('/v1/')) return 'other';
  return 'static';
}

export class ServerMetrics {
  readonly registry = new Registry();
  readonly beacons: BeaconAggregator;
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route'>;
  private readonly upstreamFailures: Counter<'route' | 'reason'>;
  private readonly active: Gauge<'route'>;

  constructor(engines: EngineGauges) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'voice_server_' });
    this.requests = new Counter({ name: 'voice_server_requests_total', help: 'Requests answered, by route, method and status.', labelNames: ['route', 'method', 'status'], registers });
    this.latency = new Histogram({
      name: 'voice_server_request_duration_seconds',
      help: 'Time from the request to the end of the answer (streams included), by route.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.upstreamFailures = new Counter({
      name: 'voice_server_upstream_failures_total',
      help: 'Answers that failed because an engine or upstream provider failed (timeout, unreachable, refused, busy), by route.',
      labelNames: ['route', 'reason'],
      registers,
    });
    this.active = new Gauge({ name: 'voice_server_requests_in_flight', help: 'Requests being answered now, by route (realtime: open sessions).', labelNames: ['route'], registers });
    new Gauge({
      name: 'voice_server_engine_pool_active',
      help: 'Engine processes (flite, sox, pocketsphinx) running now.',
      registers,
      collect() {
        this.set(engines.pool().active);
      },
    });
    new Gauge({
      name: 'voice_server_engine_pool_queued',
      help: 'Engine jobs waiting for a free slot.',
      registers,
      collect() {
        this.set(engines.pool().queued);
      },
    });
    new Gauge({
      name: 'voice_server_engine_pool_size',
      help: 'Engine processes allowed at once.',
      registers,
      collect() {
        this.set(engines.pool().concurrency);
      },
    });
    new Gauge({
      name: 'voice_server_recognisers',
      help: 'Warm speech recognisers (python3-pocketsphinx), by state; absent when a process runs per request.',
      labelNames: ['state'],
      registers,
      collect() {
        const r = engines.recognisers();
        if (!r) return;
        this.set({ state: 'size' }, r.size);
        this.set({ state: 'busy' }, r.busy);
        this.set({ state: 'queued' }, r.queued);
      },
    });
    this.beacons = new BeaconAggregator(this.registry);
  }

  /** A request began: returns what to call when its answer ended (or the client went away). */
  begin(path: string): (method: string, status: number | 'aborted') => void {
    const route = routeLabel(path);
    const stop = this.latency.startTimer({ route });
    this.active.inc({ route });
    return (method, status) => {
      this.active.dec({ route });
      stop();
      this.requests.inc({ route, method: /^(GET|POST|HEAD|OPTIONS|PUT|DELETE)$/.test(method) ? method : 'other', status: String(status) });
    };
  }

  /** An answer failed because of what is behind the server (HttpError type/code and status). */
  failed(path: string, status: number, type: string, code: string | undefined): void {
    const reason = code?.startsWith('upstream') || type.startsWith('upstream') ? 'upstream' : status === 504 ? 'timeout' : status === 503 ? 'busy' : status === 502 ? 'bad-gateway' : undefined;
    if (reason) this.upstreamFailures.inc({ route: routeLabel(path), reason });
  }

  /** The Prometheus text exposition. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}
