import type { Operation } from '../config/operation.js';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from './circuit-breaker.js';

export interface CircuitChange {
  engine: string;
  operation: Operation;
  state: CircuitState;
}

/**
 * One breaker per engine and operation, made on first use: `remote` failing at speech must not
 * stop `remote` transcription. `onChange` is where the session fires `voice-circuit`.
 */
export class CircuitBreakers {
  private readonly map = new Map<string, CircuitBreaker>();

  constructor(private readonly options: Omit<CircuitBreakerOptions, 'onChange'> & { onChange?: (c: CircuitChange) => void } = {}) {}

  get(engine: string, operation: Operation): CircuitBreaker {
    const key = `${operation}:${engine}`;
    let b = this.map.get(key);
    if (!b) {
      const { onChange, ...rest } = this.options;
      b = new CircuitBreaker(`${engine} (${operation})`, { ...rest, onChange: (state) => onChange?.({ engine, operation, state }) });
      this.map.set(key, b);
    }
    return b;
  }

  /** Every breaker that is not closed, for the debug accessor. */
  notClosed(): string[] {
    return [...this.map.values()].filter((b) => b.state !== 'closed').map((b) => `${b.name}: ${b.state}`);
  }
}
