import { endpointOf } from '../../config/config.js';
import type { Operation } from '../../config/operation.js';
import { VoiceAssistantError, type VoiceErrorCode } from '../../errors.js';
import { retry } from '../../resilience/retry.js';
import { retryAfterOf } from '../../resilience/retry-after.js';
import type { EngineContext } from '../engine-context.js';

export interface RemoteRequest {
  /** Path under the endpoint, e.g. `/audio/speech`. */
  readonly path: string;
  readonly body: BodyInit;
  readonly headers?: Record<string, string>;
  /**
   * The call's signal. It carries the call's one timeout (the call guard's, src/resilience/
   * call-guard.ts), which ends when the engine's work has its result: for a streamed answer, at
   * its first piece, so a flowing stream is never cut by a timer (a stall guard watches it).
   */
  readonly signal: AbortSignal;
  /** Safe to send again after a network error or a 502/503/504 (idempotent work). */
  readonly idempotent?: boolean;
}

/** An HTTP failure of the remote API, with the status and the server's own message. */
export class RemoteError extends VoiceAssistantError {
  constructor(
    code: VoiceErrorCode,
    message: string,
    readonly status = 0,
    readonly retryAfterMs?: number,
  ) {
    super(code, message, true);
    this.name = 'RemoteError';
  }
}

/**
 * The token URL failed (src/engines/remote/token-client.ts): no request went to the API, and the
 * call is not retried here (the token URL had its one request; a 429 or 503 says when to ask again).
 */
export class TokenError extends RemoteError {
  constructor(message: string, status = 0, retryAfterMs?: number) {
    super(status === 429 ? 'rate-limited' : 'engine-failed', message, status, retryAfterMs);
    this.name = 'TokenError';
  }
}

const TRANSIENT = new Set([502, 503, 504]);

/**
 * The OpenAI-compatible endpoint of one capability (DESIGN.md "Remote protocol"): its
 * `{op}-endpoint`, else `endpoint`. POSTs with the bearer token from `token-url`, one fresh
 * token and one more try on a 401, and retries with backoff and jitter for idempotent work.
 * Failures are `RemoteError`s.
 */
export class RemoteApi {
  constructor(
    private readonly ctx: EngineContext,
    private readonly operation: Operation,
  ) {}

  get configured(): boolean {
    return !!endpointOf(this.ctx.config, this.operation);
  }

  async post(r: RemoteRequest): Promise<Response> {
    const endpoint = endpointOf(this.ctx.config, this.operation);
    if (!endpoint) throw new RemoteError('unsupported', `The remote engine needs the \`endpoint\` or \`${this.operation}-endpoint\` attribute.`);
    const url = `${new URL(endpoint, globalThis.location?.href).href.replace(/\/+$/, '')}${r.path}`;
    return retry(
      async () => {
        try {
          let res = await this.send(url, r, r.signal, false);
          if (res.status === 401 && this.ctx.config.tokenUrl) res = await this.send(url, r, r.signal, true);
          if (!res.ok) throw await failure(res, r.path);
          return res;
        } catch (e) {
          if (r.signal.aborted || e instanceof RemoteError) throw e;
          throw new RemoteError('engine-failed', `Could not reach ${r.path}: ${(e as Error).message}`);
        }
      },
      {
        attempts: r.idempotent ? 3 : 1,
        baseMs: 150,
        maxMs: 1500,
        signal: r.signal,
        retryable: (e) =>
          e instanceof RemoteError && !(e instanceof TokenError) && (e.status === 0 ? e.code !== 'timeout' : TRANSIENT.has(e.status)),
        // A server that asks for a longer pause than a person waits: fail over to the next engine.
        maxRetryAfterMs: 2_000,
        onRetry: (e, n, ms) => this.ctx.debug('remote retry', r.path, n, `${ms}ms`, (e as Error).message),
      },
    );
  }

  private async send(url: string, r: RemoteRequest, signal: AbortSignal, refresh: boolean): Promise<Response> {
    const token = await this.ctx.token({ refresh });
    const headers = { ...r.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
    return fetch(url, { method: 'POST', body: r.body, headers, signal, credentials: 'omit', cache: 'no-store' });
  }
}

/**
 * Turns an HTTP error answer into a RemoteError with the server's message when it gave one, in
 * any of the shapes OpenAI-compatible servers use: OpenAI's and Ollama's `{"error": {"message"}}`,
 * `{"error": "..."}`, vLLM's `{"object": "error", "message"}`, FastAPI's (speaches) `{"detail": "..."}`
 * or `{"detail": [{"loc", "msg"}]}`, or a short plain-text body.
 */
async function failure(res: Response, path: string): Promise<RemoteError> {
  const detail = messageOf(await res.text().catch(() => ''));
  const message = `${path} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
  // Retry-After (seconds or an HTTP date) on 429 and 503: retry() and the circuit breaker wait at least that long.
  const after = res.status === 429 || res.status === 503 ? retryAfterOf(res) : undefined;
  if (res.status === 429) return new RemoteError('rate-limited', message, 429, after);
  return new RemoteError(res.status === 408 || res.status === 504 ? 'timeout' : 'engine-failed', message, res.status, after);
}

type ErrorBody = { error?: { message?: string } | string; message?: string; detail?: string | { loc?: unknown[]; msg?: string }[] };

function messageOf(text: string): string {
  let body: ErrorBody;
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Plain text (a proxy's or a router's own page): only a short one is a message.
    const line = text.trim().split('\n')[0] ?? '';
    return line.length <= 200 && !line.startsWith('<') ? line : '';
  }
  if (typeof body?.error === 'string') return body.error;
  if (body?.error?.message) return body.error.message;
  if (typeof body?.message === 'string') return body.message;
  if (typeof body?.detail === 'string') return body.detail;
  if (Array.isArray(body?.detail)) return body.detail.map((d) => `${(d.loc ?? []).slice(1).join('.') || 'request'}: ${d.msg ?? 'invalid'}`).join('; ');
  return '';
}
