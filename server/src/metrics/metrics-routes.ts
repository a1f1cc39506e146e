// GET /metrics (Prometheus text format), POST /v1/metrics (widget beacons, as text/plain JSON
// from navigator.sendBeacon, or application/json), GET /v1/metrics (the last beacons as JSON,
// for demo/dashboard.html).
import type { RequestContext } from '../context.ts';
import { readBody } from '../body.ts';
import { badRequest, sendJson } from '../errors.ts';
import type { ServerMetrics } from './server-metrics.ts';

/** Browsers refuse beacons over 64 KiB; nothing larger is read. */
const MAX_BEACON_BYTES = 64 * 1024;

export function metricsRoutes(metrics: ServerMetrics) {
  return {
    async prometheus({ res }: RequestContext): Promise<void> {
      const text = await metrics.text();
      res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
      res.end(text);
    },
    async beacon({ req, res, signal }: RequestContext): Promise<void> {
      const raw = await readBody(req, MAX_BEACON_BYTES, signal);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        throw badRequest('The beacon is not JSON.', 'invalid_beacon');
      }
      const errors = metrics.beacons.record(body);
      if (errors.length) throw badRequest(`The beacon does not match docs/metrics-beacon.schema.json: ${errors.join('; ')}`, 'invalid_beacon');
      res.writeHead(204);
      res.end();
    },
    async recent({ res }: RequestContext): Promise<void> {
      sendJson(res, 200, { beacons: metrics.beacons.recent() });
    },
  };
}
