import { retryAfterOf } from '../../resilience/retry-after.js';
import { TokenError } from './remote-api.js';

/** Token URL origins that refused a request with cookies (no Access-Control-Allow-Credentials). */
const WITHOUT_COOKIES = new Set<string>();

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
 * request. A failure is one `TokenError` per call (one request to the token URL, no retries of
 * its own); a 429 or 503 with `Retry-After` is honoured: no request until that time.
 * @example
 * const tokens = new TokenClient('/token');
 * headers.authorization = `Bearer ${await tokens.get()}`;
 */
export class TokenClient {
  private token?: string;
  private expiresAt = 0;
  private refreshAt = 0;
  private pending?: Promise<string>;
  /** Until when the token URL asked not to be called (its Retry-After), and the status that said so. */
  private notBefore = 0;
  private lastStatus = 0;
  private readonly credentials: RequestCredentials;
  private readonly origin: string;
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(
    readonly url: string,
    private readonly options: TokenClientOptions = {},
  ) {
    this.fetch = options.fetch ?? ((...a) => fetch(...a));
    this.now = options.now ?? (() => Date.now());
    const page = globalThis.location?.origin;
    this.origin = new URL(url, globalThis.location?.href).origin;
    this.credentials = !page || this.origin === page ? 'same-origin' : 'include';
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

  /**
   * `no-store`: a token must never come from (or go into) the HTTP cache. A token URL on another
   * origin (a site's auth service) gets the user's cookies too, as on its own origin; that needs
   * `Access-Control-Allow-Credentials: true` from it. One that allows the page without it fails
   * such a request as a network error: it is asked once more without cookies, and from then on
   * (for its origin, in this page) only without them.
   */
  private async request(): Promise<Response> {
    const init: RequestInit = { cache: 'no-store', credentials: this.credentials, headers: { accept: 'application/json' } };
    if (init.credentials !== 'include' || WITHOUT_COOKIES.has(this.origin)) return this.fetch(this.url, { ...init, credentials: 'same-origin' });
    try {
      return await this.fetch(this.url, init);
    } catch {
      const res = await this.fetch(this.url, { ...init, credentials: 'same-origin' });
      WITHOUT_COOKIES.add(this.origin);
      return res;
    }
  }

  private async fetchToken(): Promise<string> {
    // The token URL asked for a pause (429 or 503 with Retry-After): no request until it is over.
    const wait = this.notBefore - this.now();
    if (wait > 0) throw new TokenError(`The token URL asked to wait; try again in ${Math.ceil(wait / 1000)} s.`, this.lastStatus, wait);
    // One request per call: the engine's call fails over or is reported, never multiplied here.
    let res: Response;
    try {
      res = await this.request();
    } catch (e) {
      throw new TokenError(`Could not get a token from ${this.url}: ${(e as Error).message}`);
    }
    if (!res.ok) {
      const after = res.status === 429 || res.status === 503 ? retryAfterOf(res) : undefined;
      if (after !== undefined) {
        this.notBefore = this.now() + after;
        this.lastStatus = res.status;
      }
      throw new TokenError(`The token URL answered HTTP ${res.status}.`, res.status, after);
    }
    const body = (await res.json().catch(() => ({}))) as { token?: unknown; expires_in?: unknown };
    if (typeof body.token !== 'string' || !body.token) {
      throw new TokenError(`The token URL did not answer {"token": "...", "expires_in": seconds}.`, res.status);
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
