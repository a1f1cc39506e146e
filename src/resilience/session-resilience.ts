import type { Operation } from '../config/operation.js';
import type { RateLimits } from '../config/rate-limit.js';
import { BREAKER_DEFAULTS, type CircuitBreakerOptions } from './circuit-breaker.js';
import { CircuitBreakers, type CircuitChange } from './circuit-breakers.js';
import type { VoiceAssistantError } from '../errors.js';
import { guardCalls, RateLimitedError, type CallWrapper } from './call-guard.js';
import { retryAfterMsOf } from './retry-after.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * Tuning of the resilience layer. Not attributes: sane values for people, which tests (and a page
 * that bundles the source) may change before an element starts.
 */
export const RESILIENCE_DEFAULTS = {
  /** Per engine call; for chat until the first piece of the answer. */
  timeoutMs: { stt: 20_000, tts: 15_000, chat: 20_000 } as Record<Operation, number>,
  /** A chat stream that stops sending for this long is given up (what arrived is kept). */
  stallMs: 15_000,
  breaker: { ...BREAKER_DEFAULTS } as Omit<CircuitBreakerOptions, 'onChange'>,
  /** Characters per TTS request; longer text is split (never dropped). */
  ttsMaxChars: 1000,
  /** IndexedDB database of the rate-limit buckets (false: memory only). */
  database: 'voice-assistant-rate-limits' as string | false,
};

export interface SessionResilienceOptions {
  /** The budgets now (the `rate-limit` attribute may change). */
  limits(): RateLimits;
  debug?(...args: unknown[]): void;
  /** A breaker changed state. */
  onCircuit?(change: CircuitChange): void;
  /** A call was over the budget and was not sent, or a server answered 429 with Retry-After. */
  onRateLimited?(operation: Operation, retryAfterMs: number): void;
}

/**
 * The resilience of one element's session: its rate limiter (shared with every tab through
 * IndexedDB), one circuit breaker per engine and operation, and the call wrapper the engine
 * chains use. It reports through plain callbacks; the session turns them into events.
 */
export class SessionResilience {
  readonly limiter: RateLimiter;
  readonly breakers: CircuitBreakers;
  readonly wrap: CallWrapper;
  private readonly retryAt: Partial<Record<Operation, number>> = {};

  constructor(o: SessionResilienceOptions) {
    const d = RESILIENCE_DEFAULTS;
    this.limiter = new RateLimiter({ limits: o.limits, database: d.database, debug: o.debug });
    this.breakers = new CircuitBreakers({ ...d.breaker, onChange: o.onCircuit });
    const limited = (operation: Operation, retryAfterMs: number) => {
      this.retryAt[operation] = Math.max(this.retryAt[operation] ?? 0, performance.now() + retryAfterMs);
      o.onRateLimited?.(operation, retryAfterMs);
    };
    const guarded = guardCalls({ limiter: this.limiter, breakers: this.breakers, timeoutMs: d.timeoutMs, onRateLimited: limited });
    // A server's own 429 (or its token URL's) with Retry-After is told like the client-side
    // budget: the user hears when to speak again.
    this.wrap = async (call, run) => {
      try {
        return await guarded(call, run);
      } catch (e) {
        const ms = retryAfterMsOf(e);
        if ((e as VoiceAssistantError).code === 'rate-limited' && !(e instanceof RateLimitedError) && ms !== undefined) limited(call.operation, ms);
        throw e;
      }
    };
  }

  /** The operation whose budget frees up last, and in how many ms; undefined when none is spent. */
  longestWait(): { operation: Operation; ms: number } | undefined {
    const now = performance.now();
    const waits = (Object.keys(this.retryAt) as Operation[]).map((operation) => ({ operation, ms: this.retryAt[operation]! - now }));
    return waits.filter((w) => w.ms > 0).sort((a, b) => b.ms - a.ms)[0];
  }

  /** Closes the rate limiter's IndexedDB connection. */
  dispose(): void {
    this.limiter.close();
  }
}
