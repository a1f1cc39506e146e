// Chat proxied to an OpenAI-compatible provider: the server's key goes upstream, never to the page.
import type { ServerResponse } from 'node:http';
import type { UpstreamConfig } from '../gateway/config.ts';
import { forward, pipeResponse } from '../gateway/forward.ts';

export type { UpstreamConfig } from '../gateway/config.ts';

export async function proxyChat(
  upstream: UpstreamConfig,
  body: Record<string, unknown>,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const payload = { ...body };
  if (upstream.model) payload.model = upstream.model;
  const stream = payload.stream === true;
  const r = await forward(
    upstream,
    '/chat/completions',
    { body: JSON.stringify(payload), contentType: 'application/json', accept: stream ? 'text/event-stream' : 'application/json' },
    signal,
  );
  await pipeResponse(r, res, signal, {
    'Content-Type': r.headers.get('content-type') ?? (stream ? 'text/event-stream' : 'application/json'),
    'Cache-Control': 'no-cache, no-transform',
    'X-Accel-Buffering': 'no',
  });
}
