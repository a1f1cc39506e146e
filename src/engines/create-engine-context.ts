import type { VoiceConfig } from '../config/config.js';
import type { Progress } from '../internal/loader.js';
import type { EngineContext } from './engine-context.js';
import { TokenClient } from './remote/token-client.js';

export interface EngineContextSource {
  readonly config: VoiceConfig;
  readonly assetFolder: string;
  showProgress(p: Progress | null): void;
  debugLog(...args: unknown[]): void;
}

/**
 * The context handed to engine factories, reading the element's current configuration on
 * every call. The token lives in memory only, in one `TokenClient` per `token-url`.
 */
export function createEngineContext(source: EngineContextSource): EngineContext & { forgetToken(): void } {
  let tokens: TokenClient | undefined;
  return {
    get config() {
      return source.config;
    },
    assetUrl: (file) => new URL(file, source.assetFolder).href,
    progress: (p) => source.showProgress(p),
    debug: (...args) => source.debugLog(...args),
    async token(options) {
      const url = source.config.tokenUrl;
      if (!url) return undefined;
      const absolute = new URL(url, globalThis.location?.href).href;
      if (tokens?.url !== absolute) tokens = new TokenClient(absolute);
      return tokens.get(options);
    },
    forgetToken: () => tokens?.forget(),
  };
}
