// Every API call: a valid token (tokens/jwt.ts) minted for the origin the call comes from, then the
// rate limits per token (its jti) and per client IP. Refusals are OpenAI-style errors.
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import type { Limiter } from '../rate-limit.ts';
import { bearerToken, verifyToken } from './jwt.ts';
import { requestOrigin } from './origin.ts';

export function clientIp(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** Throws a 429 with Retry-After when `key`'s bucket is empty. */
export async function enforceLimit(limiter: Limiter, key: string, what: string): Promise<void> {
  const waitMs = await limiter.take(key);
  if (waitMs > 0) {
    const retry = String(Math.max(1, Math.ceil(waitMs / 1000)));
    throw new HttpError(429, `Too many requests ${what}; try again in ${retry} s.`, 'rate_limit_exceeded', 'rate_limited', { 'Retry-After': retry });
  }
}

export async function authenticate(req: IncomingMessage, app: AppContext): Promise<void> {
  const token = bearerToken(req.headers.authorization);
  const fail = (message: string, code: string) =>
    new HttpError(401, message, 'invalid_token', code, { 'WWW-Authenticate': 'Bearer' });
  if (!token) throw fail('Missing bearer token: get one from /token and send it as "Authorization: Bearer <token>".', 'token_missing');
  const check = await verifyToken(app.tokenSecret, token);
  if (!check.ok) {
    throw check.reason === 'token expired'
      ? fail('The token has expired; get a new one from /token.', 'token_expired')
      : fail('The token is not valid.', 'token_invalid');
  }
  const origin = requestOrigin(req);
  if (check.payload.origin !== origin) {
    throw new HttpError(403, `The token was issued for another origin than ${origin}; get one from /token on this page.`, 'invalid_token', 'token_origin_mismatch');
  }
  await enforceLimit(app.limits.perToken, check.payload.jti, 'with this token');
  await enforceLimit(app.limits.perIp, clientIp(req), 'from this address');
}
