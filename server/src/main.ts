// CLI entry: `node --import tsx server/src/main.ts` (what `npm start` runs after scripts/start.sh).
import { startServer } from './server.ts';

const env = process.env;
const host = env.HOST || '127.0.0.1';
const port = env.PORT ? Number(env.PORT) : 8787;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`PORT must be an integer 0..65535, got "${env.PORT}"`);
  process.exit(2);
}
const upstream =
  env.UPSTREAM_BASE_URL && env.UPSTREAM_API_KEY
    ? {
        baseUrl: env.UPSTREAM_BASE_URL,
        apiKey: env.UPSTREAM_API_KEY,
        ...(env.UPSTREAM_MODEL ? { model: env.UPSTREAM_MODEL } : {}),
      }
    : undefined;
if (!!env.UPSTREAM_BASE_URL !== !!env.UPSTREAM_API_KEY) {
  console.warn('UPSTREAM_BASE_URL and UPSTREAM_API_KEY must both be set to proxy chat; using the demo responder.');
}

const server = await startServer({
  host,
  port,
  allowedOrigins: (env.ALLOWED_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  ...(env.TOKEN_SECRET ? { tokenSecret: env.TOKEN_SECRET } : {}),
  ...(env.KNOWLEDGE_FILE ? { knowledgeFile: env.KNOWLEDGE_FILE } : {}),
  ...(upstream ? { upstream } : {}),
});

const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
console.log(`Demo: http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${server.port}/`);
console.log(`API:  ${server.url}/v1 (tokens at ${server.url}/token)`);
console.log(
  upstream
    ? `Chat: proxied to ${upstream.baseUrl} (the key stays on this server)`
    : 'Chat: demo knowledge responder (server/knowledge.json), no language model',
);

let closing = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (closing) process.exit(1);
    closing = true;
    void server.close().then(() => process.exit(0));
  });
}
