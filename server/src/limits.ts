// The server's rate limits: per IP on /token, per token and per IP on the API; in Redis when a URL is
// given (shared by every instance using it), in memory otherwise.
import type { AppContext } from './context.ts';
import { RateLimiter, type Limiter, type RateLimitOptions } from './rate-limit.ts';
import { RedisLimiter, connectRedis } from './redis-limiter.ts';

export interface RateLimits {
  /** Per IP on /token. Default: burst 30, 60 per minute. */
  token?: RateLimitOptions;
  /** Per token on the API. Default: burst 60, 120 per minute. */
  perToken?: RateLimitOptions;
  /** Per IP on the API (every token of that address together). Default: burst 240, 480 per minute. */
  perIp?: RateLimitOptions;
}

const DEFAULTS: Required<RateLimits> = {
  token: { burst: 30, perMinute: 60 },
  perToken: { burst: 60, perMinute: 120 },
  perIp: { burst: 240, perMinute: 480 },
};

export async function createLimits(
  opts: RateLimits,
  redisUrl: string | undefined,
  log: (line: string) => void,
): Promise<{ limits: AppContext['limits']; close: () => Promise<void> }> {
  const o = { ...DEFAULTS, ...opts };
  if (!redisUrl) {
    return {
      limits: { token: new RateLimiter(o.token), perToken: new RateLimiter(o.perToken), perIp: new RateLimiter(o.perIp) },
      close: async () => {},
    };
  }
  const client = await connectRedis(redisUrl, log);
  const make = (name: string, r: RateLimitOptions): Limiter => new RedisLimiter(client, name, r);
  return {
    limits: { token: make('token', o.token), perToken: make('jti', o.perToken), perIp: make('ip', o.perIp) },
    close: async () => {
      if (client.isOpen) await client.close().catch(() => client.destroy());
      else client.destroy();
    },
  };
}
