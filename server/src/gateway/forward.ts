// One request to an upstream provider. The server's key goes upstream only; what comes back to the
// page is redacted. A failure the offline engines can cover (unreachable, timeout, 5xx, 404, the
// server's key refused) is an UpstreamUnavailable; the provider's answer to a bad request (400, 413,
// 422, 429 with its Retry-After) goes back to the page as an OpenAI-style error.
import type { ServerResponse } from 'node:http';
import { HttpError, errorBody, sendJson } from '../errors.ts';
import type { UpstreamConfig } from './config.ts';

export class UpstreamUnavailable extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UpstreamUnavailable';
  }
  /** What the page gets when the offline engine may not answer instead. */
  toHttpError(): HttpError {
    return this.status === 504
      ? new HttpError(504, this.message, 'timeout', 'upstream_timeout')
      : new HttpError(502, this.message, 'upstream_error');
  }
}

export function redact(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** POSTs to `${baseUrl}${path}`; resolves with an OK response, or sends the provider's client error. */
export async function forward(
  up: UpstreamConfig,
  path: string,
  init: { body: string | FormData; contentType?: string; accept: string },
  signal: AbortSignal,
): Promise<Response> {
  const url = `${up.baseUrl.replace(/\/+$/, '')}${path}`;
  const ac = new AbortController();
  const onAbort = () => ac.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, up.timeoutMs ?? 60_000);
  const headers: Record<string, string> = { Accept: init.accept };
  if (init.contentType) headers['Content-Type'] = init.contentType;
  if (up.apiKey) headers.Authorization = `Bearer ${up.apiKey}`;
  let r: Response;
  try {
    r = await fetch(url, { method: 'POST', headers, body: init.body, signal: ac.signal });
  } catch (e) {
    if (signal.aborted) throw e;
    if (timedOut) throw new UpstreamUnavailable('The upstream provider did not answer in time.', 504);
    throw new UpstreamUnavailable(`Could not reach the upstream provider: ${redact((e as Error).message, up.apiKey)}`, 502);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
  if (r.ok) return r;
  if (r.status === 401 || r.status === 403) {
    // Not the page's fault (its token was fine): the server's own key was refused.
    await r.body?.cancel();
    throw new UpstreamUnavailable(`The upstream provider refused the server's API key (HTTP ${r.status}).`, 502);
  }
  const text = redact(await r.text(), up.apiKey).slice(0, 64 * 1024);
  if (r.status >= 500 || r.status === 404 || r.status === 405) {
    throw new UpstreamUnavailable(`The upstream provider failed (HTTP ${r.status}): ${text.slice(0, 300)}`, 502);
  }
  throw new UpstreamClientError(r.status, text, r.headers.get('retry-after'));
}

/** The provider refused the request itself; the page gets its status, message and Retry-After. */
export class UpstreamClientError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly retryAfter: string | null,
  ) {
    super(`upstream HTTP ${status}`);
  }
  send(res: ServerResponse): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.body);
    } catch {
      parsed = errorBody(`Upstream error (HTTP ${this.status}): ${this.body.slice(0, 500)}`, 'upstream_error');
    }
    // vLLM/speaches answer {"detail": ...}: give the page OpenAI's shape.
    if (parsed && typeof parsed === 'object' && !('error' in parsed)) {
      const detail = (parsed as { detail?: unknown; message?: unknown }).detail ?? (parsed as { message?: unknown }).message;
      parsed = errorBody(typeof detail === 'string' ? detail : JSON.stringify(parsed).slice(0, 500), 'upstream_error');
    }
    sendJson(res, this.status, parsed, this.retryAfter ? { 'Retry-After': this.retryAfter } : {});
  }
}

/** Streams an OK upstream response to the page as it comes (SSE events stay intact and in order). */
export async function pipeResponse(r: Response, res: ServerResponse, signal: AbortSignal, headers: Record<string, string>): Promise<void> {
  res.writeHead(200, headers);
  res.flushHeaders();
  if (!r.body) {
    res.end();
    return;
  }
  const reader = r.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done || signal.aborted) break;
      if (!res.write(value)) await new Promise<void>((ok) => res.once('drain', ok).once('close', ok));
    }
  } catch (e) {
    // The upstream broke off mid-stream; the status line is gone, so just end the stream.
    if (signal.aborted) throw e;
  } finally {
    void reader.cancel().catch(() => {});
  }
  res.end();
}
