// Starts the real reference server (server/src/server.ts) on a loopback port beside the test
// runner, and serves two helpers on the runner's own origin:
//   GET /__reference-server  -> {"url": "http://127.0.0.1:<port>"} (the API is at url + "/v1")
//   GET /__reference-server/requests -> {"POST /v1/audio/transcriptions": {answered, aborted}, ...}
//   GET /__reference-server/realtime -> the realtime endpoint's stats (server/src/realtime/stats.ts)
//   GET /__fake-api          -> {"url": ...} of a tiny controllable fake of the Remote protocol
//                               (its own loopback port) for token tests:
//     GET  /token?ttl=S        {"token": "tok-N", "expires_in": S}; only the newest token is valid
//     POST /revoke             the current token stops being valid (the next call gets 401)
//     GET  /stats              {"tokens": N, "calls": [{path, auth, status}]}
//     POST /reset              forgets everything
//     POST /v1/audio/speech    a 0.25 s 440 Hz WAV when the bearer is valid, else 401
//     POST /v1/audio/transcriptions  {"text": "fake transcript"} likewise
// The server module is TypeScript: it is loaded with tsx's scoped `tsImport`, which does not
// install a global loader into the test runner's process.
import { createServer } from 'node:http';
import { tsImport } from 'tsx/esm/api';
import { wav } from './fault-server.mjs';

const sineWav = () => wav({ seconds: 0.25, amplitude: 16000 });

/** The fake API as a plain Node server on its own loopback port (CORS open to the test page). */
function startFakeApi() {
  let issued = 0;
  let valid = null;
  let calls = [];
  const send = (res, status, body, headers = {}) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'audio/wav' : 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(bytes);
  };
  const server = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin ?? '*');
    // A token URL on another origin is asked with cookies (credentials: 'include').
    if (req.headers.origin) res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('access-control-allow-headers', 'authorization, content-type');
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    if (req.method === 'OPTIONS') return send(res, 204, {});
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    for await (const _ of req); // drain the body so keep-alive works
    if (path === '/token') {
      valid = `tok-${++issued}`;
      return send(res, 200, { token: valid, expires_in: Number(url.searchParams.get('ttl') ?? 300) });
    }
    if (path === '/revoke') return (valid = null), send(res, 200, { ok: true });
    if (path === '/reset') return (issued = 0), (valid = null), (calls = []), send(res, 200, { ok: true });
    if (path === '/stats') return send(res, 200, { tokens: issued, calls });
    const auth = req.headers.authorization ?? '';
    const ok = valid !== null && auth === `Bearer ${valid}`;
    calls.push({ path, auth, status: ok ? 200 : 401 });
    if (!ok) return send(res, 401, { error: { message: 'The token is not valid.', type: 'invalid_token' } }, { 'www-authenticate': 'Bearer' });
    if (path === '/v1/audio/speech') return send(res, 200, sineWav());
    if (path === '/v1/audio/transcriptions') return send(res, 200, { text: 'fake transcript' });
    return send(res, 404, { error: { message: 'unknown fake endpoint' } });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export function referenceServerPlugin({ port }) {
  let server;
  let fake;
  return {
    name: 'reference-server',
    async serverStart() {
      const { startServer } = await tsImport('../../server/src/server.ts', import.meta.url);
      server = await startServer({
        port: 0,
        quiet: true,
        allowedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`],
        // A generous token budget: every test page fetches tokens.
        tokenRateLimit: { burst: 1000, perMinute: 6000 },
        // And for the API: every test page calls it from 127.0.0.1 (the server's own limits are tested in server/tests).
        rateLimits: { perToken: { burst: 1000, perMinute: 6000 }, perIp: { burst: 100000, perMinute: 600000 } },
      });
      fake = await startFakeApi();
    },
    serve(context) {
      if (context.path === '/__reference-server/requests') return { body: JSON.stringify(server.requestStats()), type: 'json' };
      if (context.path === '/__reference-server/realtime') return { body: JSON.stringify(server.realtimeStats()), type: 'json' };
      if (context.path === '/__reference-server') return { body: JSON.stringify({ url: server.url }), type: 'json' };
      if (context.path === '/__fake-api') return { body: JSON.stringify({ url: `http://127.0.0.1:${fake.address().port}` }), type: 'json' };
    },
    async serverStop() {
      fake?.closeAllConnections();
      fake?.close();
      await server?.close();
    },
  };
}
