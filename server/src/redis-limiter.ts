// The token buckets of rate-limit.ts kept in Redis (REDIS_URL), so every instance of the server
// counts against the same limits. One Lua script per take: atomic, and timed by Redis's own clock so
// the instances' clocks do not matter. If Redis cannot be reached the instance counts in memory
// (warned once) rather than refusing everyone.
import { createClient } from 'redis';
import { RateLimiter, type Limiter, type RateLimitOptions } from './rate-limit.ts';

const TAKE = `
local burst = tonumber(ARGV[1])
local perMs = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * perMs)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / perMs) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / perMs) + 1000)
return wait`;

function makeClient(url: string) {
  return createClient({ url, socket: { reconnectStrategy: (n: number) => Math.min(n * 200, 2000) } });
}
export type RedisConnection = ReturnType<typeof makeClient>;

export async function connectRedis(url: string, log: (line: string) => void): Promise<RedisConnection> {
  const client = makeClient(url);
  let warned = false;
  client.on('error', (e: Error) => {
    if (!warned) log(`redis ${url}: ${e.message} (rate limits count in memory until it is back)`);
    warned = true;
  });
  client.on('ready', () => (warned = false));
  // Start without Redis rather than not at all: the limiters count in memory until it is ready.
  const connected = client.connect().then(
    () => true,
    () => false,
  );
  const ok = await Promise.race([connected, new Promise<boolean>((r) => setTimeout(r, 3000, false).unref())]);
  if (!ok) log(`redis ${url}: not reachable at start; rate limits count in memory until it is`);
  return client;
}

export class RedisLimiter implements Limiter {
  private readonly fallback: RateLimiter;
  constructor(
    private readonly client: RedisConnection,
    private readonly prefix: string,
    private readonly opts: RateLimitOptions,
  ) {
    this.fallback = new RateLimiter(opts);
  }

  async take(key: string): Promise<number> {
    if (!this.client.isReady) return this.fallback.take(key);
    try {
      const wait = await this.client.eval(TAKE, {
        keys: [`va:rl:${this.prefix}:${key}`],
        arguments: [String(this.opts.burst), String(this.opts.perMinute / 60_000)],
      });
      return Number(wait) || 0;
    } catch {
      return this.fallback.take(key);
    }
  }
}
