// The origin a request comes from, for binding tokens to it: the Origin header when the browser sends
// one (always on cross-origin requests and on POSTs), else this server's own origin (a same-origin
// GET, or a client that is not a browser, such as the openai SDK).
import type { IncomingMessage } from 'node:http';
import { normalizeOrigin } from '../cors.ts';

export function selfOrigin(req: IncomingMessage): string {
  const proto = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim() || 'http';
  return normalizeOrigin(`${proto}://${req.headers.host ?? 'localhost'}`);
}

export function requestOrigin(req: IncomingMessage): string {
  const origin = req.headers.origin;
  return typeof origin === 'string' && origin && origin !== 'null' ? normalizeOrigin(origin) : selfOrigin(req);
}
