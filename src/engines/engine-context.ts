import type { VoiceConfig } from '../config/config.js';
import type { Operation } from '../config/operation.js';
import type { Progress } from '../internal/loader.js';
import type { ChatEngine } from './chat/chat-engine.js';
import type { SttEngine } from './stt/stt-engine.js';
import type { TtsEngine } from './tts/tts-engine.js';

/**
 * What an engine factory is handed: its settings, where its assets live, and how to reach
 * the network. Engines know nothing of the element or the DOM (STYLE.md section 3).
 */
export interface EngineContext {
  readonly config: VoiceConfig;
  /** Absolute URL of a file in the asset folder (dist/ or `asset-base`). */
  assetUrl(file: string): string;
  /** Reports download progress of a large asset. */
  progress(p: Progress | null): void;
  /** A bearer token for `endpoint` from `token-url`, or undefined when none is configured. */
  token(options?: { refresh?: boolean }): Promise<string | undefined>;
  debug(...args: unknown[]): void;
}


/** The engine interface of each operation. */
export interface EngineOfKind {
  stt: SttEngine;
  tts: TtsEngine;
  chat: ChatEngine;
}

/** A factory that says which kind of engine it makes. */
export interface EngineFactory<K extends Operation = Operation> {
  readonly kind: K;
  create(ctx: EngineContext): EngineOfKind[K] | Promise<EngineOfKind[K]>;
}

/**
 * What `VoiceAssistant.registerEngine(name, factory)` accepts: an `EngineFactory` of any kind, or
 * a plain function `(ctx) => engine` (its kind is whichever attribute names it).
 * @example
 * const echo: EngineFactory<'stt'> = { kind: 'stt', create: () => ({ name: 'echo', transcribe: async () => ({ text: 'hi' }) }) };
 * VoiceAssistant.registerEngine('echo', echo);
 */
export type RegisteredEngine =
  | EngineFactory<'stt'>
  | EngineFactory<'tts'>
  | EngineFactory<'chat'>
  | ((ctx: EngineContext) => EngineOfKind[Operation] | Promise<EngineOfKind[Operation]>);
