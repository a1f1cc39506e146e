// Types shared by the server and its routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knowledge } from './chat/knowledge-responder.ts';
import type { UpstreamConfig } from './chat/upstream.ts';
import type { EngineContext } from './engines/context.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface AppContext {
  engines: EngineContext;
  knowledge: Knowledge;
  tokenSecret: string;
  tokenTtlS: number;
  tokenLimiter: RateLimiter;
  upstream: UpstreamConfig | undefined;
  maxAudioBytes: number;
  maxJsonBytes: number;
  chatChunkDelayMs: number;
  demoDir: string;
  distDir: string;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Aborted when the client goes away before the response is complete. */
  signal: AbortSignal;
  app: AppContext;
}

export type Handler = (ctx: RequestContext) => Promise<void>;
