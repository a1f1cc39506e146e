import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { Operation } from '../config/operation.js';
import { createEngineContext, type EngineContextSource } from '../engines/create-engine-context.js';
import { EngineChain, type EngineChainOptions } from '../engines/engine-chain.js';
import type { EngineOfKind, RegisteredEngine } from '../engines/engine-context.js';
import { EngineRegistry } from '../engines/engine-registry.js';
import type { CircuitChange } from '../resilience/circuit-breakers.js';
import { SessionResilience } from '../resilience/session-resilience.js';

/** What the engines see of the element: settings, the asset folder, progress and the debug log. */
export type EnginesHost = ReactiveControllerHost & EngineContextSource;

export interface EnginesOptions {
  /** Engines added with `VoiceAssistant.registerEngine`. */
  registered?: ReadonlyMap<string, RegisteredEngine>;
  onCircuit?(change: CircuitChange): void;
  onRateLimited?(operation: Operation, retryAfterMs: number): void;
  /** An engine of a chain failed and the work moved on (for the metrics). */
  onFailover?(operation: Operation, engine: string): void;
}

/** `degraded` while a circuit breaker is not closed (an engine is skipped or on probation). */
export type EnginesStatus = 'ready' | 'degraded';

/**
 * The engines of one element: the registry (built-in and registered engines, each created on
 * first use), the context they are handed (settings, assets, the token), and the resilience
 * layer every call of a chain goes through (rate limiter -> circuit breaker -> timeout).
 * Engines, their workers and the token are released when the host is removed.
 * @example
 * const engines = new EnginesController(host, { registered, onCircuit: (c) => ... });
 * const { value } = await engines.chain('stt').run((e, signal) => e.transcribe({ ...req, signal }), signal);
 */
export class EnginesController implements ReactiveController {
  status: EnginesStatus = 'ready';
  readonly resilience: SessionResilience;
  private readonly context;
  private registry: EngineRegistry;

  constructor(
    private readonly host: EnginesHost,
    private readonly options: EnginesOptions = {},
  ) {
    this.context = createEngineContext(host);
    this.registry = new EngineRegistry(this.context, options.registered);
    this.resilience = new SessionResilience({
      limits: () => host.config.rateLimit,
      debug: (...a) => host.debugLog(...a),
      onCircuit: (c) => {
        host.debugLog(`circuit ${c.engine} ${c.operation}: ${c.state}`);
        this.setStatus(this.resilience.breakers.notClosed().length ? 'degraded' : 'ready');
        options.onCircuit?.(c);
      },
      onRateLimited: options.onRateLimited,
    });
    host.addController(this);
  }

  /**
   * The failover chain of `kind`, by default as the attributes name it (`stt`, `tts`, `chat`),
   * with every call guarded and every failover told to the debug log.
   */
  chain<K extends Operation>(kind: K, names?: readonly string[]): EngineChain<EngineOfKind[K]> {
    const c = this.host.config;
    return this.registry.chain(kind, names ?? (kind === 'chat' ? [c.chat] : c[kind as 'stt' | 'tts']), this.chainOptions);
  }

  /** A chain of one engine made elsewhere (the page's responder), guarded like the others. */
  only<K extends Operation>(kind: K, engine: EngineOfKind[K]): EngineChain<EngineOfKind[K]> {
    return new EngineChain(kind, [{ name: engine.name, get: async () => engine }], this.chainOptions);
  }

  /**
   * Fetches the token (when `token-url` is set) while the user is still silent, so that the
   * first request of a turn, often a speculative one in a pause, goes out at once.
   */
  warm(): Promise<void> {
    return this.context.token().then(() => undefined);
  }

  /** The bearer token from `token-url` (undefined without one), e.g. for the realtime socket. */
  token(options?: { refresh?: boolean }): Promise<string | undefined> {
    return this.context.token(options);
  }

  /** Creates the engines named and loads their code and models, unguarded (nothing is sent). */
  async preload(kind: Operation, names: readonly string[]): Promise<void> {
    await this.registry.chain(kind, names).preload();
  }

  private readonly chainOptions: EngineChainOptions = {
    wrap: (call, run) => this.resilience.wrap(call, run),
    onFailover: ({ engine, operation, error, next }) => {
      this.host.debugLog(`${operation} engine ${engine} failed${next ? `, trying ${next}` : ''}:`, error);
      this.options.onFailover?.(operation, engine);
    },
  };

  /** @private */
  hostDisconnected(): void {
    this.release();
  }

  /** Releases every engine (and its workers) and the token; engines are made again on next use. */
  release(): void {
    this.registry.dispose();
    this.registry = new EngineRegistry(this.context, this.options.registered);
    this.context.forgetToken();
  }

  /** Releases the engines and the rate limiter's database, and leaves the host. Safe twice. */
  dispose(): void {
    this.host.removeController(this);
    this.release();
    this.resilience.dispose();
  }

  private setStatus(status: EnginesStatus) {
    if (status === this.status) return;
    this.status = status;
    this.host.requestUpdate();
  }
}
