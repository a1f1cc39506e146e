// Token buckets per key: per client IP on /token, per token and per IP on the API. In memory here;
// shared through Redis (redis-limiter.ts) when REDIS_URL is set, so several instances count together.
export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained requests per minute. */
  perMinute: number;
}

/** Takes one request from `key`'s bucket; resolves 0 if allowed, else ms until it would be. */
export interface Limiter {
  take(key: string): Promise<number>;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly opts: RateLimitOptions) {}

  async take(key: string): Promise<number> {
    return this.takeNow(key);
  }

  takeNow(key: string, now = Date.now()): number {
    const { burst, perMinute } = this.opts;
    const perMs = perMinute / 60_000;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= 10_000) this.prune(now);
      b = { tokens: burst, at: now };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(burst, b.tokens + (now - b.at) * perMs);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / perMs);
  }

  private prune(now: number): void {
    const full = this.opts.burst / (this.opts.perMinute / 60_000);
    for (const [k, b] of this.buckets) if (now - b.at > full) this.buckets.delete(k);
    if (this.buckets.size >= 10_000) this.buckets.clear();
  }
}
