// Proxy to a real OpenAI-compatible provider: the server's key goes upstream, never to the page.
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { HttpError, errorBody, sendJson } from '../errors.ts';

export interface UpstreamConfig {
  /** e.g. https://api.openai.com/v1 */
  baseUrl: string;
  apiKey: string;
  /** Model used when the client sends none. */
  model?: string;
  /** Time allowed until the upstream's response headers arrive. Default 60 s. */
  timeoutMs?: number;
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

export async function proxyChat(
  upstream: UpstreamConfig,
  body: Record<string, unknown>,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  const url = `${upstream.baseUrl.replace(/\/+$/, '')}/chat/completions`;
  const payload = { ...body };
  if (payload.model === undefined && upstream.model) payload.model = upstream.model;
  const stream = payload.stream === true;

  const ac = new AbortController();
  const onAbort = () => ac.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, upstream.timeoutMs ?? 60_000);

  try {
    let r: Response;
    try {
      r = await fetch(url, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${upstream.apiKey}`,
          'Content-Type': 'application/json',
          Accept: stream ? 'text/event-stream' : 'application/json',
        },
        body: JSON.stringify(payload),
        signal: ac.signal,
      });
    } catch (e) {
      if (signal.aborted) throw e;
      if (timedOut) throw new HttpError(504, 'The upstream chat provider did not answer in time.', 'timeout', 'upstream_timeout');
      throw new HttpError(502, `Could not reach the upstream chat provider: ${(e as Error).message}`, 'upstream_error');
    } finally {
      clearTimeout(timer);
    }

    if (r.status === 401 || r.status === 403) {
      // Not the page's fault (its token was fine): the server's own key was refused.
      await r.body?.cancel();
      throw new HttpError(502, `The upstream chat provider refused the server's API key (HTTP ${r.status}).`, 'upstream_error');
    }
    if (!r.ok) {
      const text = redact(await r.text(), upstream.apiKey).slice(0, 64 * 1024);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = errorBody(`Upstream error (HTTP ${r.status}): ${text.slice(0, 500)}`, 'upstream_error');
      }
      sendJson(res, r.status, parsed);
      return;
    }

    const headers: Record<string, string> = {
      'Content-Type': r.headers.get('content-type') ?? (stream ? 'text/event-stream' : 'application/json'),
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    };
    res.writeHead(200, headers);
    res.flushHeaders();
    if (!r.body) {
      res.end();
      return;
    }
    // Pass the bytes through as they come (SSE events stay intact and in order).
    const source = Readable.fromWeb(r.body as import('node:stream/web').ReadableStream<Uint8Array>);
    try {
      for await (const chunk of source) {
        if (signal.aborted) break;
        if (!res.write(chunk)) await new Promise<void>((ok) => res.once('drain', ok).once('close', ok));
      }
    } catch (e) {
      if (!signal.aborted) {
        // The upstream broke off mid-stream; the status line is gone, so just end the stream.
        res.end();
        return;
      }
      throw e;
    } finally {
      source.destroy();
    }
    res.end();
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
