import { OPERATION_LABEL, type Operation } from '../config/operation.js';
import { VoiceAssistantError } from '../errors.js';
import { CircuitOpenError } from './circuit-breaker.js';
import type { CircuitBreakers } from './circuit-breakers.js';
import type { RateLimiter } from './rate-limiter.js';
import { withTimeout } from './timeout.js';

/** Engines that run on the device: nothing is sent anywhere, so no budget applies. */
export const ON_DEVICE_ENGINES: ReadonlySet<string> = new Set(['local', 'browser', 'none', 'page']);


/** A call the client-side budget (`rate-limit`) refused; it was not sent. */
export class RateLimitedError extends VoiceAssistantError {
  constructor(
    readonly operation: Operation,
    readonly retryAfterMs: number,
  ) {
    super('rate-limited', `${OPERATION_LABEL[operation]}: too many requests for now; you can speak again in ${Math.ceil(retryAfterMs / 1000)} s.`, true);
    this.name = 'RateLimitedError';
  }
}

/**
 * Wraps every engine call: the place where a rate limiter and a circuit breaker plug in
 * (DESIGN.md section 2: rate limiter -> circuit breaker -> timeout -> retry -> next engine).
 * It may refuse a call by throwing; the chain then tries the next engine. `call.signal` is the
 * run's signal; a wrapper that imposes a timeout passes `run` a signal derived from it, which
 * the engine call receives (so a timed-out request is really aborted).
 */
export type CallWrapper = <T>(
  call: { engine: string; operation: Operation; signal?: AbortSignal },
  run: (signal?: AbortSignal) => Promise<T>,
) => Promise<T>;

/**
 * The abort reason of work started speculatively (in a pause of the user's speech) and dropped
 * because the user went on: an `AbortError` like any abort (no breaker counts it), and the calls
 * it made are given back to the budget, so that only committed turns are charged.
 */
export const SPECULATION_DROPPED = new DOMException('The answer prepared during a pause was dropped: the user went on speaking.', 'AbortError');

export interface CallGuardOptions {
  limiter?: RateLimiter;
  breakers: CircuitBreakers;
  /** Per operation; for chat, until the first piece of the answer. */
  timeoutMs: Readonly<Record<Operation, number>>;
  onDevice?: ReadonlySet<string>;
  onRateLimited?(operation: Operation, retryAfterMs: number): void;
}

/**
 * The call wrapper of DESIGN.md section 2 for every engine call of a chain:
 * rate limiter -> circuit breaker -> timeout -> (the engine, which retries where safe) -> on
 * failure the chain's next engine. A refused call (budget spent, circuit open) reaches no server;
 * a token taken for a call the breaker then refused is given back.
 * @example
 * const wrap = guardCalls({ limiter, breakers, timeoutMs: { stt: 20_000, tts: 15_000, chat: 20_000 } });
 * registry.chain('stt', ['remote', 'local'], { wrap });
 */
export function guardCalls(o: CallGuardOptions): CallWrapper {
  const onDevice = o.onDevice ?? ON_DEVICE_ENGINES;
  return async (call, run) => {
    const op = call.operation;
    const budgeted = !!o.limiter && !onDevice.has(call.engine.toLowerCase());
    let refunded = !budgeted;
    const refund = () => {
      if (refunded) return;
      refunded = true;
      void o.limiter!.refund(op).catch(() => {});
    };
    if (budgeted) {
      const d = await o.limiter!.tryAcquire(op);
      if (!d.ok) {
        o.onRateLimited?.(op, d.retryAfterMs);
        throw new RateLimitedError(op, d.retryAfterMs);
      }
      // Even after the call finished: its result is thrown away when the speculation is.
      call.signal?.addEventListener('abort', () => call.signal!.reason === SPECULATION_DROPPED && refund(), { once: true });
    }
    try {
      return await o.breakers
        .get(call.engine, op)
        .run(() => withTimeout((signal) => run(signal), { ms: o.timeoutMs[op], signal: call.signal, what: `${OPERATION_LABEL[op]} (${call.engine})` }));
    } catch (e) {
      if (e instanceof CircuitOpenError) refund();
      throw e;
    }
  };
}
