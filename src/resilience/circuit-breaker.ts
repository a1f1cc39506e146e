import { VoiceAssistantError } from '../errors.js';
import { retryAfterMsOf } from './retry-after.js';

import type { CircuitState } from '../events/voice-circuit-event.js';

export type { CircuitState };

/** Leave to make one call; `probe` marks the single half-open trial. */
export interface Permit {
  readonly probe: boolean;
}

/**
 * What an outcome says about the server: `failure` counts towards opening (timeouts, network
 * errors, 5xx, malformed answers), `healthy` means it answered sensibly (a success, or a 4xx
 * caused by the request), `neutral` says nothing (the caller aborted, the engine is not configured).
 */
export type Verdict = 'failure' | 'healthy' | 'neutral';

export interface CircuitBreakerOptions {
  /** Failures within `windowMs` that open the circuit. */
  threshold?: number;
  windowMs?: number;
  /** Wait before the first probe; doubled after each failed probe up to `maxCooldownMs`. */
  cooldownMs?: number;
  maxCooldownMs?: number;
  /** Up to this fraction is added to each cooldown, so that tabs and instances do not probe in step. */
  jitter?: number;
  classify?: (error: unknown) => Verdict;
  onChange?: (state: CircuitState, previous: CircuitState) => void;
  now?: () => number;
  random?: () => number;
}

export const BREAKER_DEFAULTS = { threshold: 3, windowMs: 30_000, cooldownMs: 10_000, maxCooldownMs: 120_000, jitter: 0.2 };

/** The default classifier for engine errors (RemoteError carries `status`, VoiceAssistantError `code`). */
export function classifyError(error: unknown): Verdict {
  const e = error as { name?: string; code?: string; status?: number } | null;
  if (e?.name === 'AbortError' || e?.code === 'aborted' || e?.code === 'unsupported') return 'neutral';
  if (e?.code === 'timeout') return 'failure';
  const status = typeof e?.status === 'number' ? e.status : 0;
  // 408 and 429 are the server's state, not the request's fault.
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'healthy';
  return 'failure';
}

/** Thrown without calling the server while the circuit is open (or its one probe is out). */
export class CircuitOpenError extends VoiceAssistantError {
  constructor(
    readonly engine: string,
    readonly retryAfterMs: number,
  ) {
    super('engine-failed', `${engine} is failing; not calling it for ${Math.ceil(retryAfterMs / 1000)} s.`, true);
    this.name = 'CircuitOpenError';
  }
}

/**
 * A circuit breaker for one engine and operation (Nygard, "Release It!", and the Hystrix state
 * machine): closed -> open after `threshold` failures in a rolling `windowMs`; open fails fast;
 * after a jittered cooldown the first call becomes the single half-open probe; its success closes
 * the circuit, its failure opens it again with a longer cooldown.
 * @example
 * const breaker = new CircuitBreaker('remote stt', { onChange: (s) => console.log(s) });
 * const text = await breaker.run(() => engine.transcribe(request));
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures: number[] = [];
  private openUntil = 0;
  private cooldown: number;
  private probing = false;
  private readonly o: Required<Omit<CircuitBreakerOptions, 'onChange'>> & Pick<CircuitBreakerOptions, 'onChange'>;

  constructor(
    readonly name: string,
    options: CircuitBreakerOptions = {},
  ) {
    this.o = { ...BREAKER_DEFAULTS, classify: classifyError, now: () => Date.now(), random: Math.random, ...options };
    this.cooldown = this.o.cooldownMs;
  }

  /** The state now (an open circuit whose cooldown has passed reads as half-open). */
  get state(): CircuitState {
    if (this.current === 'open' && this.o.now() >= this.openUntil) this.set('half-open');
    return this.current;
  }

  /** Milliseconds until a call may go through (0 when it may now). */
  get retryAfterMs(): number {
    const s = this.state;
    if (s === 'open') return Math.max(0, this.openUntil - this.o.now());
    return s === 'half-open' && this.probing ? this.o.cooldownMs : 0;
  }

  /**
   * Asks to make one call: a permit when it may go (closed, or the one half-open probe), else
   * undefined. Whoever gets a permit must hand it back with `record`.
   */
  acquire(): Permit | undefined {
    const s = this.state;
    if (s === 'closed') return { probe: false };
    if (s === 'open' || this.probing) return undefined;
    this.probing = true;
    return { probe: true };
  }

  /** Reports the outcome of a permitted call: no error for success, else the error. */
  record(permit: Permit, error?: unknown): void {
    const verdict = error === undefined ? 'healthy' : this.o.classify(error);
    if (permit.probe) {
      this.probing = false;
      if (verdict === 'healthy') {
        this.cooldown = this.o.cooldownMs;
        this.set('closed');
      } else if (verdict === 'failure') {
        this.cooldown = Math.min(this.o.maxCooldownMs, this.cooldown * 2);
        this.open(error);
      }
      return;
    }
    // A late answer to a call made before the circuit opened: the probe decides, not this.
    if (verdict !== 'failure' || this.current !== 'closed') return;
    const now = this.o.now();
    this.failures = this.failures.filter((t) => now - t < this.o.windowMs);
    this.failures.push(now);
    if (this.failures.length >= this.o.threshold) this.open(error);
  }

  /** Runs `call` through the breaker; throws CircuitOpenError without calling when it may not go. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    const permit = this.acquire();
    if (!permit) throw new CircuitOpenError(this.name, this.retryAfterMs);
    let result: T;
    try {
      result = await call();
    } catch (e) {
      this.record(permit, e);
      throw e;
    }
    this.record(permit);
    return result;
  }

  private open(error: unknown): void {
    const jittered = this.cooldown * (1 + this.o.jitter * this.o.random());
    // A server that said when to come back (Retry-After) is not probed before that.
    this.openUntil = this.o.now() + Math.max(jittered, retryAfterMsOf(error) ?? 0);
    this.failures = [];
    this.set('open');
  }

  private set(state: CircuitState): void {
    const previous = this.current;
    if (previous === state) return;
    this.current = state;
    this.o.onChange?.(state, previous);
  }
}
