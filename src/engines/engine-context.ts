import type { VoiceConfig } from '../config/config.js';
import type { Progress } from '../internal/loader.js';

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

export type EngineKind = 'stt' | 'tts' | 'chat';

/** A factory registered with `VoiceAssistant.registerEngine` or built in. */
export interface EngineFactory<E> {
  readonly kind: EngineKind;
  create(ctx: EngineContext): E;
}
