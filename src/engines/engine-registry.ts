import type { Operation } from '../config/operation.js';
import type { EngineContext, EngineFactory, EngineOfKind, RegisteredEngine } from './engine-context.js';

export type { EngineOfKind };
import { EngineChain, type ChainLink, type EngineChainOptions } from './engine-chain.js';
import { RemoteChat } from './chat/remote-chat.js';
import { RemoteStt } from './stt/remote-stt.js';
import { BrowserTts } from './tts/browser-tts.js';
import { NoneTts } from './tts/none-tts.js';
import { RemoteTts } from './tts/remote-tts.js';
import { unavailableEngine } from './unavailable-engine.js';

type Create = (ctx: EngineContext) => unknown;

/**
 * Built-in engines by kind and name. Remote engines are small and come with the session chunk;
 * local ones (WASM in workers) stay out of it: they are dynamic imports, loaded on first use.
 */
const BUILT_IN: { [K in Operation]: Record<string, Create> } = {
  stt: {
    remote: (ctx) => new RemoteStt(ctx),
    local: (ctx) => import('./stt/local-stt.js').then((m) => new m.LocalStt(ctx)),
  },
  tts: {
    remote: (ctx) => new RemoteTts(ctx),
    local: (ctx) => import('./tts/local-tts.js').then((m) => new m.LocalTts(ctx)),
    browser: (ctx) => new BrowserTts(ctx),
    none: () => new NoneTts(),
  },
  chat: {
    remote: (ctx) => new RemoteChat(ctx),
  },
};

const METHOD: Record<Operation, string> = { stt: 'transcribe', tts: 'synthesize', chat: 'complete' };

/**
 * What `VoiceAssistant.registerEngine(name, factory)` accepts: an `EngineFactory`
 * (`{kind, create(ctx)}`) or a plain function `(ctx) => engine`. Either may return a promise.
 */
function fromRegistered(kind: Operation, name: string, factory: RegisteredEngine): Create {
  return async (ctx) => {
    const f = factory as Partial<EngineFactory> | Create;
    if (typeof f !== 'function' && f?.kind && f.kind !== kind) {
      return unavailableEngine(name, `registered as a ${f.kind} engine, not ${kind}`);
    }
    const engine = (await (typeof f === 'function' ? f(ctx) : f?.create?.(ctx))) as Record<string, unknown> | undefined;
    if (typeof engine?.[METHOD[kind]] !== 'function') {
      return unavailableEngine(name, `the registered factory did not return a ${kind} engine (no ${METHOD[kind]}())`);
    }
    return { name, ...bindAll(engine) };
  };
}

/** Keeps methods working after spreading (class instances keep theirs on the prototype). */
function bindAll(engine: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let o: object | null = engine; o && o !== Object.prototype; o = Object.getPrototypeOf(o)) {
    for (const key of Object.getOwnPropertyNames(o)) {
      if (key === 'constructor' || key in out) continue;
      const value = engine[key];
      out[key] = typeof value === 'function' ? value.bind(engine) : value;
    }
  }
  return out;
}

/**
 * Turns engine names into engines: page-registered names first (so a page can replace a
 * built-in), then built-ins. Each engine is created once, on first use, and kept.
 */
export class EngineRegistry {
  private readonly made = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly registered: ReadonlyMap<string, RegisteredEngine> = new Map(),
  ) {}

  get<K extends Operation>(kind: K, name: string): Promise<EngineOfKind[K]> {
    const key = `${kind}:${name.toLowerCase()}`;
    let p = this.made.get(key);
    if (!p) {
      const lower = name.toLowerCase();
      const create: Create =
        (this.registered.has(lower) ? fromRegistered(kind, name, this.registered.get(lower)!) : undefined) ??
        BUILT_IN[kind][lower] ??
        (() => unavailableEngine(name, `unknown ${kind} engine (built in: ${Object.keys(BUILT_IN[kind]).join(', ')}; or register one)`));
      p = Promise.resolve().then(() => create(this.ctx));
      // A failed creation (e.g. a chunk that did not load) is tried again next time.
      p.catch(() => this.made.delete(key));
      this.made.set(key, p);
    }
    return p as Promise<EngineOfKind[K]>;
  }

  chain<K extends Operation>(kind: K, names: readonly string[], options?: EngineChainOptions): EngineChain<EngineOfKind[K]> {
    const links: ChainLink<EngineOfKind[K]>[] = names.map((name) => ({ name, get: () => this.get(kind, name) }));
    return new EngineChain(kind, links, options);
  }

  /** Disposes every engine created so far. */
  dispose(): void {
    for (const p of this.made.values()) {
      void p.then((e) => (e as { dispose?(): void }).dispose?.(), () => {});
    }
    this.made.clear();
  }
}
