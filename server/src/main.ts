// CLI entry: `node --import tsx server/src/main.ts` (what `npm start` runs after scripts/start.sh).
import { CAPABILITIES, upstreamsFromEnv } from './gateway/config.ts';
import { startServer } from './server.ts';

const env = process.env;
const host = env.HOST || '127.0.0.1';
const port = env.PORT ? Number(env.PORT) : 8787;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer 0..65535, got "${env.PORT}"`);
  process.exit(2);
}
const { upstreams, warnings } = upstreamsFromEnv(env);
for (const w of warnings) console.warn(w);
const upstreamFallback = !/^(0|false|no|off)$/i.test(env.UPSTREAM_FALLBACK ?? '');

const server = await startServer({
  host,
  port,
  allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  ...(env.TOKEN_SECRET ? { tokenSecret: env.TOKEN_SECRET } : {}),
  ...(env.KNOWLEDGE_FILE ? { knowledgeFile: env.KNOWLEDGE_FILE } : {}),
  upstreams,
  upstreamFallback,
  ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
});

const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
console.log(`Demo: http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${server.port}/`);
console.log(`API:  ${server.url}/v1 (tokens at ${server.url}/token)`);
for (const cap of CAPABILITIES) {
  const up = upstreams[cap];
  console.log(
    up
      ? `${cap}: proxied to ${up.baseUrl}${up.model ? ` (model ${up.model})` : ''}; the key stays on this server${upstreamFallback ? ', offline engine if it fails' : ''}`
      : `${cap}: offline engine${cap === 'chat' ? ' (demo knowledge responder, server/knowledge.json: no language model)' : ''}`,
  );
}
console.log(
  upstreams.realtime
    ? `realtime: relayed to ${upstreams.realtime.baseUrl}${upstreams.realtime.model ? ` (model ${upstreams.realtime.model})` : ''}; the key stays on this server${upstreamFallback ? ', offline session if it cannot be reached' : ''}`
    : 'realtime: offline session (PocketSphinx, the chat capability, Flite)',
);
console.log(env.REDIS_URL ? 'Rate limits: shared through Redis' : 'Rate limits: in memory (this instance only)');

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) process.exit(1);
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
