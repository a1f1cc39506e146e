import { VoiceAssistantError, type VoiceErrorCode } from '../errors.js';
import { OPERATION_LABEL, type Operation } from '../config/operation.js';
import type { CallWrapper } from '../resilience/call-guard.js';

/** One engine of a chain, created on first use (local engines load their own chunk). */
export interface ChainLink<E> {
  readonly name: string;
  get(): Promise<E>;
}

export interface EngineChainOptions {
  wrap?: CallWrapper;
  /** Told when an engine failed and the work moves on (to `next`, or nowhere). */
  onFailover?: (info: { engine: string; operation: Operation; error: unknown; next?: string }) => void;
}

interface Capable {
  readonly name: string;
  available?(): Promise<boolean>;
}

/**
 * An ordered failover list (`stt="remote local"`): the work goes to the first engine; when it
 * fails, the same work goes to the next one. Aborts are not failures: they end the run at once.
 * @example
 * const { value, engine } = await chain.run((e) => e.transcribe({ ...req, signal }), signal);
 */
export class EngineChain<E extends Capable> {
  constructor(
    readonly kind: Operation,
    readonly links: readonly ChainLink<E>[],
    private readonly options: EngineChainOptions = {},
  ) {}

  get names(): string[] {
    return this.links.map((l) => l.name);
  }

  /** Creates the engines named and loads their code and models ahead of the first call. */
  async preload(names: readonly string[] = this.names): Promise<void> {
    const links = this.links.filter((l) => names.includes(l.name));
    await Promise.all(links.map(async (l) => (await l.get() as { preload?(): Promise<void> }).preload?.()));
  }

  /**
   * Runs `work` on the first engine that does not fail. With `accept`, a result it refuses
   * (e.g. a transcript that matches no command) also goes on to the next engine; that is not a
   * failure (no breaker counts it), and when no engine gives an accepted result the first
   * refused one is returned.
   */
  async run<T>(
    work: (engine: E, signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
    accept?: (value: T) => boolean,
  ): Promise<{ value: T; engine: string }> {
    const wrap: CallWrapper = this.options.wrap ?? ((_c, run) => run());
    const failures: { engine: string; error: unknown }[] = [];
    let refused: { value: T; engine: string } | undefined;
    for (let i = 0; i < this.links.length; i++) {
      const link = this.links[i]!;
      signal.throwIfAborted();
      try {
        const value = await wrap({ engine: link.name, operation: this.kind, signal }, async (callSignal) => {
          const engine = await link.get();
          if (engine.available && !(await engine.available())) {
            throw new VoiceAssistantError('unsupported', 'not available in this browser', true);
          }
          return work(engine, callSignal ?? signal);
        });
        if (!accept || accept(value)) return { value, engine: link.name };
        refused ??= { value, engine: link.name };
        continue;
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        failures.push({ engine: link.name, error });
        this.options.onFailover?.({ engine: link.name, operation: this.kind, error, next: this.links[i + 1]?.name });
      }
    }
    if (refused) return refused;
    throw chainError(this.kind, failures);
  }
}

/** One error that says what every engine answered; the code is shared if they all agree. */
function chainError(kind: Operation, failures: { engine: string; error: unknown }[]): VoiceAssistantError {
  if (!failures.length) return new VoiceAssistantError('unsupported', `${OPERATION_LABEL[kind]}: no ${kind} engine is configured.`, true);
  const codes = new Set<VoiceErrorCode>(failures.map((f) => (f.error instanceof VoiceAssistantError ? f.error.code : 'engine-failed')));
  const code = codes.size === 1 ? [...codes][0]! : 'engine-failed';
  const why = failures.map((f) => `${f.engine}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  return new VoiceAssistantError(code === 'unsupported' ? 'engine-failed' : code, `${OPERATION_LABEL[kind]} failed on every engine (${why}).`, true, {
    cause: failures.at(-1)?.error,
  });
}
