// Types shared by the server and its routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Knowledge } from './chat/knowledge-responder.ts';
import type { EngineContext } from './engines/context.ts';
import type { Upstreams } from './gateway/config.ts';
import type { Limiter } from './rate-limit.ts';

export interface AppContext {
  engines: EngineContext;
  knowledge: Knowledge;
  tokenSecret: string;
  tokenTtlS: number;
  /** token: per IP on /token; perToken, perIp: on every API call. */
  limits: { token: Limiter; perToken: Limiter; perIp: Limiter };
  /** Per capability, where it is proxied; absent: the offline engine answers. */
  upstreams: Upstreams;
  /** The offline engine answers when an upstream fails (else 502/504). */
  upstreamFallback: boolean;
  /** Told when an upstream failed and the offline engine answered instead (the metrics count it). */
  upstreamFailed?: (path: string) => void;
  /** Told how long a realtime turn stage took on the server (the metrics keep a histogram). */
  realtimeTimed?: (stage: 'commit_to_final_transcript' | 'create_to_first_audio', ms: number) => void;
  log: (line: string) => void;
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
