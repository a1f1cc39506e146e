import { VoiceAssistantError } from '../../errors.js';
import { retry } from '../../resilience/retry.js';

export interface TokenClientOptions {
  /** Refresh this long before the token expires (default: 30 s, at most a fifth of its life). */
  marginMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/**
 * Short-lived bearer tokens from `token-url` (`{"token": "...", "expires_in": 300}`), kept in
 * memory only, never persisted. A token is fetched on first use, fetched again shortly before it
 * expires and whenever the caller saw a 401 (`get({refresh: true})`); concurrent callers share one
 * request.
 * @example
 * const tokens = new TokenClient('/token');
 * headers.authorization = `Bearer ${await tokens.get()}`;
 */
export class TokenClient {
  private token?: string;
  private expiresAt = 0;
  private refreshAt = 0;
  private pending?: Promise<string>;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(
    readonly url: string,
    private readonly options: TokenClientOptions = {},
  ) {
    this.fetch = options.fetch ?? ((...a) => fetch(...a));
    this.now = options.now ?? (() => Date.now());
  }

  /** A valid token; `refresh` drops the current one first (the server said 401). */
  get(options: { refresh?: boolean } = {}): Promise<string> {
    if (options.refresh && !this.pending) this.forget();
    if (this.token && this.now() < this.refreshAt) return Promise.resolve(this.token);
    return (this.pending ??= this.fetchToken().finally(() => (this.pending = undefined)));
  }

  /** Drops the token (on stop or dispose). */
  forget(): void {
    this.token = undefined;
    this.expiresAt = this.refreshAt = 0;
  }

  private async fetchToken(): Promise<string> {
    const body = await retry(
      async () => {
        // `no-store`: a token must never come from (or go into) the HTTP cache.
        const res = await this.fetch(this.url, { cache: 'no-store', credentials: 'same-origin', headers: { accept: 'application/json' } });
        if (!res.ok) throw new VoiceAssistantError('engine-failed', `The token URL answered HTTP ${res.status}.`, true);
        return (await res.json()) as { token?: unknown; expires_in?: unknown };
      },
      { attempts: 3, baseMs: 200, retryable: (e) => !(e instanceof VoiceAssistantError) || /HTTP 5\d\d|HTTP 429/.test(e.message) },
    ).catch((e: unknown) => {
      throw e instanceof VoiceAssistantError ? e : new VoiceAssistantError('engine-failed', `Could not get a token from ${this.url}.`, true, { cause: e });
    });
    if (typeof body.token !== 'string' || !body.token) {
      throw new VoiceAssistantError('engine-failed', `The token URL did not answer {"token": "...", "expires_in": seconds}.`, true);
    }
    const lifeMs = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 60_000;
    const margin = Math.min(this.options.marginMs ?? 30_000, lifeMs / 5);
    const now = this.now();
    this.token = body.token;
    this.expiresAt = now + lifeMs;
    this.refreshAt = this.expiresAt - margin;
    return body.token;
  }
}
