// A metrics collector on the test runner's own origin, as a site's `metrics-url` would be:
// POST /__beacons keeps the body as sent (navigator.sendBeacon), GET /__beacons answers every
// body kept so far as a JSON array of {contentType, body}, DELETE /__beacons forgets them.
import { readBody } from './read-body.mjs';

export function beaconSink() {
  let kept = [];
  return async (ctx, next) => {
    if (ctx.path !== '/__beacons') return next();
    if (ctx.method === 'POST') {
      kept.push({ contentType: ctx.get('content-type'), body: await readBody(ctx.req) });
      ctx.status = 204;
    } else if (ctx.method === 'DELETE') {
      kept = [];
      ctx.status = 204;
    } else {
      ctx.set('Cache-Control', 'no-store');
      ctx.type = 'json';
      ctx.body = JSON.stringify(kept);
    }
  };
}
