// A fault-injecting, OpenAI-compatible server on loopback (DESIGN.md "Remote protocol").
//
//   POST /v1/audio/transcriptions  -> {"text": "turn on the lights"}
//   POST /v1/audio/speech          -> a 0.3 s 16 kHz mono WAV
//   POST /v1/chat/completions      -> an SSE stream of three deltas and [DONE]
//
// Faults, chosen by the `x-fault` header or by path segments before /v1:
//   /fault/<kind>/v1/...    the fault for every request
//   /fault/<kind>x<N>/v1/.. the fault for the first N requests to that path, then normal answers
//   /switch/<name>/v1/...   whatever POST /__switch?name=<name>&kind=<kind> set last (default ok):
//                           a server that goes down and comes back under one endpoint
//   /t/<tag>/...            any tag, so that tests count their own requests apart
// Kinds: ok | <status> (e.g. 500, 502, 400) | 503 and 429 (with Retry-After: ?retry-after= or the
// x-retry-after header, seconds or an HTTP date; default 1; or in the kind: 503-30 for 30 s,
// 429-date30 for an HTTP date 30 s ahead) | hang (never answers) | reset (drops
// the connection) | malformed (a 200 with a broken body) | content-type (a 200 of text/html) |
// truncated (a WAV whose header promises more bytes than are sent; other routes cut the body) |
// trickle (chat: two deltas slowly, then silence) | cut (chat: two deltas, then the connection
// closes without [DONE]) | delay-<ms> (answers normally after ms).
//
// Control: GET /__count -> {total, routes: {path: n}} (preflights not counted);
//          GET /__log -> the last 500 requests [{path, fault, status}]; POST /__reset.
// CORS: any loopback origin. Run alone: node tests/fakes/fault-server.mjs [port]
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

export const TRANSCRIPT = 'turn on the lights';
export const CHAT_DELTAS = ['Sure.', ' The lights', ' are on now.'];

/** A 440 Hz tone as 16-bit mono WAV; `claimSeconds` makes the header promise more than is sent. */
export function wav({ seconds = 0.3, rate = 16000, claimSeconds, amplitude = 6000 } = {}) {
  const n = Math.round(seconds * rate);
  const claimed = Math.round((claimSeconds ?? seconds) * rate);
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + claimed * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(claimed * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return buf;
}

const sse = (piece) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: piece } }] })}\n\n`;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const isLoopback = (origin) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin ?? '');

/** Splits `/fault/500x2/t/abc/v1/audio/speech` into {fault, times, switchName, route}. */
function parsePath(pathname) {
  const parts = pathname.split('/').filter(Boolean);
  const out = { fault: undefined, times: Infinity, switchName: undefined, route: '' };
  let i = 0;
  while (i < parts.length && parts[i] !== 'v1') {
    const [key, value] = [parts[i], parts[i + 1]];
    if (key === 'fault' && value) {
      const m = /^(.+?)(?:x(\d+))?$/.exec(decodeURIComponent(value));
      out.fault = m[1];
      if (m[2]) out.times = Number(m[2]);
    } else if (key === 'switch' && value) out.switchName = value;
    i += 2;
  }
  out.route = '/' + parts.slice(i).join('/');
  return out;
}

export async function startFaultServer({ port = 0, host = '127.0.0.1' } = {}) {
  const counts = new Map();
  const log = [];
  const switches = new Map();
  const open = new Set();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    const origin = req.headers.origin;
    if (isLoopback(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-headers', 'authorization, content-type, accept, x-fault, x-retry-after');
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-expose-headers', 'retry-after, content-type, content-length');
      res.setHeader('access-control-max-age', '600');
      res.setHeader('vary', 'origin');
    }
    // No keep-alive: Chromium silently resends a request whose reused connection was reset,
    // which would blur the request counts the tests assert.
    res.setHeader('connection', 'close');
    if (req.method === 'OPTIONS') return void res.writeHead(204).end();
    const json = (status, body, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/__count') return json(200, { total: [...counts.values()].reduce((a, b) => a + b, 0), routes: Object.fromEntries(counts) });
    if (url.pathname === '/__log') return json(200, log);
    if (url.pathname === '/__reset') {
      counts.clear();
      log.length = 0;
      switches.clear();
      return json(200, { ok: true });
    }
    if (url.pathname === '/__switch') {
      switches.set(url.searchParams.get('name'), url.searchParams.get('kind') ?? 'ok');
      return json(200, { ok: true });
    }

    const seen = (counts.get(url.pathname) ?? 0) + 1;
    counts.set(url.pathname, seen);
    const p = parsePath(url.pathname);
    let fault = String(req.headers['x-fault'] ?? p.fault ?? (p.switchName ? switches.get(p.switchName) : undefined) ?? 'ok');
    if (seen > p.times) fault = 'ok';
    const entry = { path: url.pathname, fault, status: 0 };
    log.push(entry);
    if (log.length > 500) log.shift();
    res.on('finish', () => (entry.status = res.statusCode));

    // Read the whole request first: a fault is an answer to a request that arrived.
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const retryAfter = String(req.headers['x-retry-after'] ?? url.searchParams.get('retry-after') ?? '1');
    const hold = () => {
      open.add(res);
      res.on('close', () => open.delete(res));
    };

    const delay = /^delay-(\d+)$/.exec(fault);
    if (delay) {
      await wait(Number(delay[1]));
      fault = 'ok';
    }
    if (fault === 'hang') return hold();
    if (fault === 'reset') return void req.socket.destroy();
    const busy = /^(503|429)(?:-(date)?(\d+))?$/.exec(fault);
    if (busy) {
      const after = busy[3] ? (busy[2] ? new Date(Date.now() + Number(busy[3]) * 1000).toUTCString() : busy[3]) : retryAfter;
      return json(Number(busy[1]), { error: { message: `injected ${busy[1]}`, type: 'fault' } }, { 'retry-after': after });
    }
    if (/^\d{3}$/.test(fault) && fault !== '200') return json(Number(fault), { error: { message: `injected ${fault}`, type: 'fault' } });
    if (fault === 'content-type') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<!doctype html><title>Gateway</title><p>Please sign in</p>');
    }

    const route = p.route;
    if (route === '/v1/audio/transcriptions') {
      if (fault === 'malformed') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"text": "turn on th');
      }
      if (fault === 'truncated' || fault === 'trickle') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
        res.write('{"text": "turn');
        if (fault === 'trickle') return hold();
        // After the headers have gone out: the answer starts, then the connection drops.
        return void setTimeout(() => res.destroy(), 50);
      }
      return json(200, { text: TRANSCRIPT, bytes: body.length });
    }
    if (route === '/v1/audio/speech') {
      if (fault === 'malformed') {
        res.writeHead(200, { 'content-type': 'audio/wav' });
        return void res.end(Buffer.from('this is not a wav file at all, sorry'));
      }
      if (fault === 'truncated') {
        // A complete response whose WAV header promises 1 s of audio but carries 0.1 s.
        const bytes = wav({ seconds: 0.1, claimSeconds: 1 });
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(bytes.length) });
        return void res.end(bytes);
      }
      const bytes = wav();
      if (fault === 'trickle') {
        res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(bytes.length) });
        res.write(bytes.subarray(0, 100));
        return hold();
      }
      res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': String(bytes.length), 'cache-control': 'no-store' });
      return void res.end(bytes);
    }
    if (route === '/v1/chat/completions') {
      let stream = true;
      try {
        stream = JSON.parse(body.toString('utf8')).stream !== false;
      } catch {
        return json(400, { error: { message: 'body is not JSON' } });
      }
      if (!stream) return json(200, { choices: [{ index: 0, message: { role: 'assistant', content: CHAT_DELTAS.join('') } }] });
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      if (fault === 'malformed') return void res.end(`${sse(CHAT_DELTAS[0])}data: {"choices": [{"delta": {"content": "The li\n\n`);
      if (fault === 'truncated') return void res.end(sse(CHAT_DELTAS[0]));
      if (fault === 'trickle' || fault === 'cut') {
        res.write(sse(CHAT_DELTAS[0]));
        await wait(100);
        res.write(sse(CHAT_DELTAS[1]));
        if (fault === 'cut') return void setTimeout(() => res.destroy(), 50);
        return hold();
      }
      for (const piece of CHAT_DELTAS) res.write(sse(piece));
      return void res.end('data: [DONE]\n\n');
    }
    json(404, { error: { message: `no route ${route}` } });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const url = `http://${host}:${server.address().port}`;
  return {
    server,
    url,
    async close() {
      for (const res of open) res.destroy();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { url } = await startFaultServer({ port: Number(process.argv[2] ?? 8790) });
  console.log(`fault server at ${url}/v1 (faults: ${url}/fault/<kind>/v1)`);
}
