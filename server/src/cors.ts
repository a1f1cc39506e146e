// CORS: only origins listed in `allowedOrigins` get Access-Control-Allow-Origin (the origin echoed,
// with Vary: Origin). Preflights from other origins get 403 and no CORS headers.
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type';
/** Response headers a cross-origin page may read. */
const EXPOSE_HEADERS = 'Retry-After, Server-Timing, X-Voice, X-Sample-Rate, X-Responder, X-Engine';

export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

export type CorsOutcome = 'not-preflight' | 'preflight-allowed' | 'preflight-denied';

/** Sets CORS headers for this request; tells whether it was a preflight and whether it passed. */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowed: ReadonlySet<string>): CorsOutcome {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  const isAllowed = typeof origin === 'string' && allowed.has(normalizeOrigin(origin));
  const isPreflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (isAllowed) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    // A page on another origin asks for its token with credentials: 'include' (the site's session cookie
    // decides whether it gets one); the browser hands the answer over only with this header.
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  if (!isPreflight) return 'not-preflight';
  if (!isAllowed) return 'preflight-denied';
  res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
  res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
  res.setHeader('Access-Control-Max-Age', '600');
  return 'preflight-allowed';
}
