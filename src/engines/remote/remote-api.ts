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

const TRANSIENT = new Set([502, 503, 504]);

/**
 * The OpenAI-compatible endpoint of DESIGN.md ("Remote protocol"): POSTs with the bearer token
 * from `token-url`, one fresh token and one more try on a 401, and retries with backoff and
 * jitter for idempotent work. Failures are `RemoteError`s.
 */
export class RemoteApi {
  constructor(private readonly ctx: EngineContext) {}

  get configured(): boolean {
    return !!this.ctx.config.endpoint;
  }

  async post(r: RemoteRequest): Promise<Response> {
    const endpoint = this.ctx.config.endpoint;
    if (!endpoint) throw new RemoteError('unsupported', 'The remote engine needs the `endpoint` attribute.');
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
        retryable: (e) => e instanceof RemoteError && (e.status === 0 ? e.code !== 'timeout' : TRANSIENT.has(e.status)),
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

/** Turns an HTTP error answer into a RemoteError with the server's message when it gave one. */
async function failure(res: Response, path: string): Promise<RemoteError> {
  let detail = '';
  try {
    const body = (await res.json()) as { error?: { message?: string } | string };
    detail = typeof body.error === 'string' ? body.error : (body.error?.message ?? '');
  } catch {
    // Not JSON: the status says enough.
  }
  const message = `${path} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`;
  // Retry-After (seconds or an HTTP date) on 429 and 503: retry() and the circuit breaker wait at least that long.
  const after = res.status === 429 || res.status === 503 ? retryAfterOf(res) : undefined;
  if (res.status === 429) return new RemoteError('rate-limited', message, 429, after);
  return new RemoteError(res.status === 408 || res.status === 504 ? 'timeout' : 'engine-failed', message, res.status, after);
}
