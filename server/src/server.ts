// The reference server: the demo at "/", dist/ at "/dist/", tokens at "/token", and the
// OpenAI-compatible API at "/v1" backed by Flite, PocketSphinx and SoX (or an upstream for chat).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { loadKnowledge } from './chat/knowledge-responder.ts';
import type { UpstreamConfig, Upstreams } from './gateway/config.ts';
import type { AppContext, Handler, RequestContext } from './context.ts';
import { applyCors, normalizeOrigin } from './cors.ts';
import { DEFAULT_BINARIES, type Binaries } from './engines/context.ts';
import { SphinxPool, sphinxPoolAvailable } from './engines/sphinx-pool.ts';
import { SphinxStreams } from './engines/sphinx-stream.ts';
import { HttpError, sendError } from './errors.ts';
import { ProcessPool, isAbortError } from './process-pool.ts';
import { createLimits, type RateLimits } from './limits.ts';
import type { RateLimitOptions } from './rate-limit.ts';
import { chatRoute } from './routes/chat.ts';
import { healthRoute } from './routes/health.ts';
import { modelsRoute } from './routes/models.ts';
import { speechRoute } from './routes/speech.ts';
import { tokenRoute } from './routes/token.ts';
import { transcriptionsRoute } from './routes/transcriptions.ts';
import { attachRealtime } from './realtime/upgrade.ts';
import type { RealtimeStats } from './realtime/stats.ts';
import { serveStatic } from './static.ts';
import { authenticate } from './tokens/authenticate.ts';
import { randomSecret } from './tokens/jwt.ts';
import { metricsRoutes } from './metrics/metrics-routes.ts';
import { RealtimeMetrics } from './metrics/realtime-metrics.ts';
import { ServerMetrics } from './metrics/server-metrics.ts';

export interface ServerOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Origins (scheme://host[:port]) allowed to call the server from another origin. */
  allowedOrigins?: string[];
  /** Key that signs the tokens (JWT, HS256); random per start when absent (tokens then die with the process). */
  tokenSecret?: string;
  tokenTtlS?: number;
  /** Light per-IP limit on /token. Default: burst 30, 60 per minute. */
  tokenRateLimit?: RateLimitOptions;
  /** Limits per token and per IP on the API (and /token, when tokenRateLimit is not given). */
  rateLimits?: RateLimits;
  /** Redis shared by the instances for the rate limits; in memory when absent. */
  redisUrl?: string;
  knowledgeFile?: string;
  demoDir?: string;
  distDir?: string;
  /** Chat goes to `${baseUrl}/chat/completions` with `apiKey` when set (same as upstreams.chat). */
  upstream?: UpstreamConfig;
  /** Per capability, the provider it is proxied to (see gateway/config.ts). */
  upstreams?: Upstreams;
  /** The offline engine answers when an upstream fails. Default true; false: 502/504. */
  upstreamFallback?: boolean;
  maxBodyBytes?: { audio?: number; json?: number };
  engineConcurrency?: number;
  engineTimeoutMs?: number;
  /**
   * `warm`: long-lived recognisers that load the model once (python3-pocketsphinx), used when
   * the machine has them and `binaries.pocketsphinx` is not replaced; `process`: a
   * pocketsphinx_continuous process per request. Default `warm`.
   */
  recogniser?: 'warm' | 'process';
  /** Streaming recognisers for realtime sessions (a process each, with warm recognisers only); 0: re-decode. Default 4. */
  realtimeStreams?: number;
  /** Engine binaries (names on PATH or absolute paths); tests substitute fakes. */
  binaries?: Partial<Binaries>;
  /** Delay between streamed chat chunks of the demo responder. Default 25 ms. */
  chatChunkDelayMs?: number;
  /** No per-request log lines. */
  quiet?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Live numbers of the engine process pool. */
  engineStats(): { active: number; queued: number; peak: number };
  /** The warm recognisers (undefined when a process runs per request): starts, model loads, served. */
  recogniserStats(): SphinxPool['stats'] | undefined;
  /** Streaming recognisers of realtime sessions: started, leased, refused, open. */
  streamStats(): SphinxStreams['stats'] | undefined;
  /** Resolves when the warm recognisers have loaded their model. */
  recogniserReady(): Promise<void>;
  /** Requests per `METHOD /path`: answered, and aborted by the client before the answer ended. */
  requestStats(): Record<string, { answered: number; aborted: number }>;
  /** The realtime WebSocket endpoint: sessions, client events by type, audio sent after a cancel. */
  realtimeStats(): RealtimeStats;
}

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const projectRoot = resolve(serverDir, '..');

function resolvePath(p: string | undefined, fallback: string): string {
  if (p === undefined) return fallback;
  return isAbsolute(p) ? p : resolve(process.cwd(), p);
}

interface Route {
  auth: boolean;
  methods: Partial<Record<string, Handler>>;
}

const ROUTES: Record<string, Route> = {
  '/token': { auth: false, methods: { GET: tokenRoute, POST: tokenRoute } },
  '/healthz': { auth: false, methods: { GET: healthRoute } },
  '/v1/audio/transcriptions': { auth: true, methods: { POST: transcriptionsRoute } },
  '/v1/audio/speech': { auth: true, methods: { POST: speechRoute } },
  '/v1/chat/completions': { auth: true, methods: { POST: chatRoute } },
  '/v1/models': { auth: true, methods: { GET: modelsRoute } },
};

export async function startServer(opts: ServerOptions = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const log = opts.quiet ? () => {} : (opts.log ?? ((line: string) => console.log(line)));
  const allowed = new Set((opts.allowedOrigins ?? []).map(normalizeOrigin).filter(Boolean));
  const pool = new ProcessPool({
    concurrency: opts.engineConcurrency ?? 2,
    timeoutMs: opts.engineTimeoutMs ?? 15_000,
  });
  // What can fail at start-up comes before the recognisers start (they would outlive a failed start).
  const knowledge = loadKnowledge(resolvePath(opts.knowledgeFile, resolve(serverDir, 'knowledge.json')));
  const binaries = { ...DEFAULT_BINARIES, ...opts.binaries };
  const warm = opts.recogniser !== 'process' && binaries.pocketsphinx === DEFAULT_BINARIES.pocketsphinx && sphinxPoolAvailable();
  const sphinx = warm ? new SphinxPool({ size: Math.min(2, availableParallelism()), timeoutMs: opts.engineTimeoutMs ?? 15_000 }) : undefined;
  const sphinxStreams = warm && (opts.realtimeStreams ?? 4) > 0 ? new SphinxStreams({ max: opts.realtimeStreams ?? 4 }) : undefined;
  if (!warm) log('speech recognition: a pocketsphinx_continuous process per request (no python3-pocketsphinx, or binaries replaced)');
  const rate = await createLimits({ ...(opts.tokenRateLimit ? { token: opts.tokenRateLimit } : {}), ...opts.rateLimits }, opts.redisUrl, log).catch((e: unknown) => {
    pool.close();
    sphinx?.close();
    sphinxStreams?.close();
    throw e;
  });
  const upstreams: Upstreams = { ...(opts.upstream?.baseUrl ? { chat: opts.upstream } : {}), ...opts.upstreams };
  const app: AppContext = {
    engines: { pool, binaries, ...(sphinx ? { sphinx } : {}), ...(sphinxStreams ? { sphinxStreams } : {}) },
    knowledge,
    tokenSecret: opts.tokenSecret || randomSecret(),
    tokenTtlS: opts.tokenTtlS ?? 300,
    limits: rate.limits,
    upstreams,
    upstreamFallback: opts.upstreamFallback ?? true,
    log,
    maxAudioBytes: opts.maxBodyBytes?.audio ?? 10 * 1024 * 1024,
    maxJsonBytes: opts.maxBodyBytes?.json ?? 256 * 1024,
    chatChunkDelayMs: opts.chatChunkDelayMs ?? 25,
    demoDir: resolvePath(opts.demoDir, resolve(projectRoot, 'demo')),
    distDir: resolvePath(opts.distDir, resolve(projectRoot, 'dist')),
  };

  // Prometheus metrics (server/src/metrics/): GET /metrics, widget beacons at /v1/metrics.
  const metrics = new ServerMetrics({
    pool: () => ({ ...pool.stats, concurrency: opts.engineConcurrency ?? 2 }),
    recognisers: () => sphinx?.stats,
  });
  app.upstreamFailed = (path) => metrics.failed(path, 502, 'upstream_error', 'upstream_fallback');
  const realtimeMetrics = new RealtimeMetrics(metrics.registry, () => realtime?.stats, () => sphinxStreams?.stats);
  app.realtimeTimed = (stage, ms) => realtimeMetrics.timed(stage, ms);
  const m = metricsRoutes(metrics);
  const routes: Record<string, Route> = {
    ...ROUTES,
    '/metrics': { auth: false, methods: { GET: m.prometheus } },
    '/v1/metrics': { auth: false, methods: { GET: m.recent, POST: m.beacon } },
  };

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cors = applyCors(req, res, allowed);
    if (cors === 'preflight-denied') throw new HttpError(403, 'Origin not allowed.', 'invalid_request_error', 'origin_not_allowed');
    const method = req.method ?? 'GET';
    const route = routes[url.pathname];
    const ctx: RequestContext = { req, res, url, signal, app };

    if (route) {
      const allow = Object.keys(route.methods).join(', ');
      if (cors === 'preflight-allowed' || method === 'OPTIONS') {
        res.writeHead(204, { Allow: `${allow}, OPTIONS` });
        res.end();
        return;
      }
      const handler = route.methods[method];
      if (!handler) {
        throw new HttpError(405, `Method ${method} is not allowed on ${url.pathname}; use ${allow}.`, 'invalid_request_error', 'method_not_allowed', {
          Allow: allow,
        });
      }
      if (route.auth) await authenticate(req, app);
      await handler(ctx);
      return;
    }
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      throw new HttpError(404, `Unknown endpoint ${url.pathname}.`, 'invalid_request_error', 'not_found');
    }
    // Everything else is a static file.
    if (cors === 'preflight-allowed' || method === 'OPTIONS') {
      res.writeHead(204, { Allow: 'GET, HEAD, OPTIONS' });
      res.end();
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      throw new HttpError(405, `Method ${method} is not allowed on static files; use GET.`, 'invalid_request_error', 'method_not_allowed', {
        Allow: 'GET, HEAD',
      });
    }
    if (url.pathname.startsWith('/vendor/uplot/')) {
      // The dashboard's charting library (demo/dashboard.html), from node_modules: no CDN.
      await serveStatic(req, res, resolve(projectRoot, 'node_modules/uplot/dist'), url.pathname.slice('/vendor/uplot'.length), url.pathname);
    } else if (url.pathname === '/dist' || url.pathname.startsWith('/dist/')) {
      await serveStatic(req, res, app.distDir, url.pathname.slice('/dist'.length), url.pathname);
    } else {
      await serveStatic(req, res, app.demoDir, url.pathname, url.pathname);
    }
  }

  // Per path: answered, and given up by the client before the answer ended (a dropped request).
  const requests = new Map<string, { answered: number; aborted: number }>();
  const server = createServer((req, res) => {
    const started = performance.now();
    const ac = new AbortController();
    const measured = metrics.begin((req.url ?? '/').split('?')[0]!);
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
      measured(req.method ?? 'GET', res.writableFinished ? res.statusCode : 'aborted');
      const path = (req.url ?? '/').split('?')[0];
      const count = requests.get(`${req.method} ${path}`) ?? { answered: 0, aborted: 0 };
      requests.set(`${req.method} ${path}`, count);
      if (res.writableFinished) count.answered++;
      else count.aborted++;
      const status = res.writableFinished ? String(res.statusCode) : `${res.statusCode} aborted`;
      log(`${req.method} ${path} ${status} ${(performance.now() - started).toFixed(0)}ms`);
    });
    handle(req, res, ac.signal).catch((err: unknown) => {
      if (ac.signal.aborted || isAbortError(err)) {
        if (!res.writableEnded) res.destroy();
        return;
      }
      let httpErr: HttpError;
      if (err instanceof HttpError) httpErr = err;
      else {
        console.error(err);
        httpErr = new HttpError(500, 'Internal server error.', 'server_error');
      }
      metrics.failed((req.url ?? '/').split('?')[0]!, httpErr.status, httpErr.type, httpErr.code);
      if (httpErr.status === 413) {
        // The rest of the body is not wanted: close the connection after the answer.
        res.setHeader('Connection', 'close');
      }
      sendError(res, httpErr);
    });
  });

  const realtime = attachRealtime(server, app);

  await new Promise<void>((ok, fail) => {
    const failed = (e: Error) => {
      void rate.close();
      pool.close();
      sphinx?.close();
      sphinxStreams?.close();
      fail(e);
    };
    server.once('error', failed);
    server.listen(opts.port ?? 8787, host, () => {
      server.off('error', failed);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    engineStats: () => pool.stats,
    recogniserStats: () => sphinx?.stats,
    streamStats: () => sphinxStreams?.stats,
    recogniserReady: () => sphinx?.ready() ?? Promise.resolve(),
    requestStats: () => Object.fromEntries(requests),
    realtimeStats: () => realtime.stats,
    close: () =>
      new Promise<void>((ok) => {
        pool.close();
        sphinx?.close();
        sphinxStreams?.close();
        realtime.close();
        server.close(() => void rate.close().then(ok));
        server.closeAllConnections();
      }),
  };
}
