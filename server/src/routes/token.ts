// GET|POST /token -> {"token": "...", "expires_in": 300}: a short-lived token for the page.
import type { RequestContext } from '../context.ts';
import { HttpError, sendJson } from '../errors.ts';
import { createToken } from '../tokens.ts';

export async function tokenRoute({ req, res, app }: RequestContext): Promise<void> {
  const ip = req.socket.remoteAddress ?? 'unknown';
  const waitMs = app.tokenLimiter.take(ip);
  if (waitMs > 0) {
    const retry = String(Math.max(1, Math.ceil(waitMs / 1000)));
    throw new HttpError(429, 'Too many token requests; slow down.', 'rate_limit_exceeded', 'rate_limited', {
      'Retry-After': retry,
    });
  }
  // A POST body, if any, is not used: drain it (bounded) so keep-alive works.
  req.resume();
  sendJson(res, 200, { token: createToken(app.tokenSecret, app.tokenTtlS), expires_in: app.tokenTtlS });
}
