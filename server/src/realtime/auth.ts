// The credential of a realtime socket: browsers cannot set headers on a WebSocket, so the token
// from /token travels as the subprotocol "openai-insecure-api-key.<token>" (the spelling OpenAI's
// Realtime API uses for browsers, https://platform.openai.com/docs/guides/realtime-websocket).
// The check itself is the HTTP routes' one: this is the only place the socket calls it, so a change
// of token scheme is a change of this one function.
import type { IncomingMessage } from 'node:http';
import type { AppContext } from '../context.ts';
import { verifyToken } from '../tokens/jwt.ts';
import { requestOrigin } from '../tokens/origin.ts';

export const KEY_PREFIX = 'openai-insecure-api-key.';

export type RealtimeAuth = { ok: true } | { ok: false; code: 'token_missing' | 'token_expired' | 'token_invalid' | 'token_origin_mismatch'; message: string };

/** The offered subprotocols, as the client listed them. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Verifies the token offered in the subprotocols (or, for server-side clients, an Authorization header). */
export async function authenticateRealtime(req: IncomingMessage, app: AppContext): Promise<RealtimeAuth> {
  const offered = offeredProtocols(req).find((p) => p.startsWith(KEY_PREFIX));
  const header = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.headers.authorization ?? '')?.[1];
  const token = offered ? offered.slice(KEY_PREFIX.length) : header;
  if (!token) {
    return { ok: false, code: 'token_missing', message: `Missing token: get one from /token and offer it as the subprotocol "${KEY_PREFIX}<token>".` };
  }
  const check = await verifyToken(app.tokenSecret, token);
  if (check.ok) {
    // Bound to the page's origin like every API call (a browser always sends Origin on a WebSocket).
    const origin = requestOrigin(req);
    if (check.payload.origin === origin) return { ok: true };
    return { ok: false, code: 'token_origin_mismatch', message: `The token was issued for another origin than ${origin}; get one from /token on this page.` };
  }
  return check.reason === 'token expired'
    ? { ok: false, code: 'token_expired', message: 'The token has expired; get a new one from /token.' }
    : { ok: false, code: 'token_invalid', message: 'The token is not valid.' };
}
