import type { RateOperation } from '../config/rate-limit.js';
import type { CallWrapper } from '../engines/engine-chain.js';
import { VoiceCircuitEvent } from '../events/voice-circuit-event.js';
import { VoiceRateLimitedEvent } from '../events/voice-rate-limited-event.js';
import type { SessionHost } from '../session/session-host.js';
import { BREAKER_DEFAULTS, type CircuitBreakerOptions } from './circuit-breaker.js';
import { CircuitBreakers } from './circuit-breakers.js';
import { guardCalls } from './call-guard.js';
import type { Disposer } from './disposer.js';
import { RateLimiter } from './rate-limiter.js';
import { TTS_MAX_CHARS } from './text-limit.js';

/**
 * Tuning of the resilience layer. Not attributes: sane values for people, which tests (and a page
 * that bundles the source) may change before an element starts.
 */
export const RESILIENCE_DEFAULTS = {
  /** Per engine call; for chat until the first piece of the answer. */
  timeoutMs: { stt: 20_000, tts: 15_000, chat: 20_000 } as Record<RateOperation, number>,
  /** A chat stream that stops sending for this long is given up (what arrived is kept). */
  stallMs: 15_000,
  breaker: { ...BREAKER_DEFAULTS } as Omit<CircuitBreakerOptions, 'onChange'>,
  ttsMaxChars: TTS_MAX_CHARS,
  /** IndexedDB database of the rate-limit buckets (false: memory only). */
  database: 'voice-assistant-rate-limits' as string | false,
};

const LABEL: Record<RateOperation, string> = { stt: 'speech recognition', tts: 'speech synthesis', chat: 'answers' };

/**
 * The resilience of one element's session: its rate limiter (shared with every tab through
 * IndexedDB), one circuit breaker per engine and operation, and the call wrapper the engine
 * chains use. Fires `voice-circuit` and `voice-rate-limited` on the host, and tells the user in
 * the panel when they can speak again after the budget ran out.
 */
export class SessionResilience {
  readonly limiter: RateLimiter;
  readonly breakers: CircuitBreakers;
  readonly wrap: CallWrapper;
  private readonly retryAt: Partial<Record<RateOperation, number>> = {};

  constructor(host: SessionHost, disposer: Disposer) {
    const d = RESILIENCE_DEFAULTS;
    this.limiter = new RateLimiter({ limits: () => host.config.rateLimit, database: d.database, debug: (...a) => host.debugLog(...a) });
    disposer.add('rate limiter (IndexedDB connection)', this.limiter);
    this.breakers = new CircuitBreakers({
      ...d.breaker,
      onChange: (c) => {
        host.debugLog(`circuit ${c.engine} ${c.operation}: ${c.state}`);
        host.dispatchEvent(new VoiceCircuitEvent(c));
      },
    });
    this.wrap = guardCalls({
      limiter: this.limiter,
      breakers: this.breakers,
      timeoutMs: d.timeoutMs,
      onRateLimited: (operation, retryAfterMs) => {
        this.retryAt[operation] = performance.now() + retryAfterMs;
        host.dispatchEvent(new VoiceRateLimitedEvent({ operation, retryAfterMs }));
      },
    });
    // Only when no engine could take the work does the user need to wait: say for how long.
    disposer.listen('rate-limit note (voice-error listener)', host, 'voice-error', (e) => {
      if ((e as CustomEvent<{ code: string }>).detail.code !== 'rate-limited') return;
      const ops = (Object.keys(this.retryAt) as RateOperation[]).filter((op) => this.retryAt[op]! > performance.now());
      const op = ops.sort((a, b) => this.retryAt[b]! - this.retryAt[a]!)[0];
      if (!op) return;
      const s = Math.ceil((this.retryAt[op]! - performance.now()) / 1000);
      host.showTranscript({ who: 'note', text: `Too many requests for ${LABEL[op]} just now: you can speak again in ${s} s.`, final: true });
    });
  }

  /** Breakers that are not closed, e.g. `remote (stt): open`. */
  circuits(): string[] {
    return this.breakers.notClosed();
  }
}
