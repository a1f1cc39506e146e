// A static server for dist/ on its own loopback origin: the "CDN" of the cross-origin tests.
// It records every request (GET /__log, POST /__reset) so tests assert on what the page fetched,
// and injects faults on purpose: /flaky/<n>/<key>/<path> answers 503 to the first n requests
// for <key>/<path>, then serves <path>; the entry (voice-assistant.js) itself is always served,
// so that what fails is what it loads lazily. A first visit on a slow link: /slow/<ms>/<path>
// holds back the model and the runtime (.onnx, .wasm) for <ms> before serving them;
// /missing/<path> answers 404 for the model (.onnx), as a broken deployment would. Byte ranges
// (`Range: bytes=N-`) are served as a CDN serves them; each log entry says how many bytes went.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CSP_POLICIES } from './csp-policies.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const types = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.onnx': 'application/octet-stream', '.html': 'text/html',
  '.css': 'text/css', '.wav': 'audio/wav', '.map': 'application/json',
};

export function startCdnServer({ dir, port, host = '127.0.0.1' }) {
  const log = [];
  const failures = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', '*');
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    if (req.method === 'OPTIONS') return void res.end();
    if (url.pathname === '/__log') {
      res.setHeader('Content-Type', 'application/json');
      return void res.end(JSON.stringify(log));
    }
    if (url.pathname === '/__reset') {
      log.length = 0;
      failures.clear();
      return void res.end('ok');
    }
    let path = url.pathname;
    // /csp/<policy>/<path>?cdn=<origin>: <path> under a documented Content-Security-Policy (every
    // response, as a site's server sends it); csp-page.html and csp-page.js are the test page.
    const csp = path.match(/^\/csp\/([a-z-]+)(\/.*)$/);
    if (csp && CSP_POLICIES[csp[1]]) {
      path = csp[2];
      res.setHeader('Content-Security-Policy', CSP_POLICIES[csp[1]].replaceAll('{cdn}', url.searchParams.get('cdn') ?? ''));
      if (path === '/csp-page.html' || path === '/csp-page.js') {
        res.setHeader('Content-Type', path.endsWith('.js') ? 'text/javascript' : 'text/html');
        return void res.end(await readFile(join(here, path.slice(1))));
      }
    }
    const slow = path.match(/^\/slow\/(\d+)(\/.*)$/);
    if (slow) {
      path = slow[2];
      if (/\.(onnx|wasm)$/.test(path)) await new Promise((r) => setTimeout(r, Number(slow[1])));
    }
    const missing = path.match(/^\/missing(\/.*)$/);
    if (missing) {
      path = missing[1];
      if (path.endsWith('.onnx')) {
        log.push({ path: url.pathname, status: 404 });
        res.statusCode = 404;
        return void res.end('not deployed');
      }
    }
    // /tamper/<path>: the model and wasm files with one byte changed (a bad edge, an attacker);
    // /cut/<path>: the first request for a .onnx/.wasm file breaks off half-way (a dropped link).
    const tamper = path.match(/^\/tamper(\/.*)$/);
    if (tamper) path = tamper[1];
    const cut = path.match(/^\/cut(\/.*)$/);
    if (cut) path = cut[1];
    const flaky = path.match(/^\/flaky\/(\d+)\/([^/]+)(\/.*)$/);
    if (flaky) {
      const key = flaky[2] + flaky[3];
      const seen = failures.get(key) ?? 0;
      failures.set(key, seen + 1);
      path = flaky[3];
      if (seen < Number(flaky[1]) && !path.endsWith('/voice-assistant.js')) {
        log.push({ path: url.pathname, status: 503 });
        res.statusCode = 503;
        return void res.end('injected failure');
      }
    }
    const file = normalize(join(dir, decodeURIComponent(path)));
    if (!file.startsWith(dir)) {
      res.statusCode = 403;
      return void res.end();
    }
    try {
      const info = await stat(file);
      if (!info.isFile()) throw new Error('not a file');
      let body = await readFile(file);
      const heavy = /\.(onnx|wasm)$/.test(path);
      if (tamper && heavy) {
        body = Buffer.from(body);
        body[body.length >> 1] ^= 0xff;
      }
      res.setHeader('Content-Type', types[extname(file)] ?? 'application/octet-stream');
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.setHeader('Accept-Ranges', 'bytes');
      const range = (req.headers.range ?? '').match(/^bytes=(\d+)-$/);
      const from = range ? Number(range[1]) : 0;
      if (range && from < body.length) {
        res.statusCode = 206;
        res.setHeader('Content-Range', `bytes ${from}-${body.length - 1}/${body.length}`);
      }
      const part = body.subarray(from);
      const first = cut && heavy && !log.some((l) => l.path === url.pathname);
      log.push({ path: url.pathname, status: res.statusCode, range: range ? from : undefined, bytes: first ? part.length >> 1 : part.length });
      res.setHeader('Content-Length', part.length);
      if (!first) return void res.end(part);
      // Half of it, then the connection drops.
      res.write(part.subarray(0, part.length >> 1), () => setTimeout(() => res.socket?.destroy(), 50));
    } catch {
      log.push({ path: url.pathname, status: 404 });
      res.statusCode = 404;
      res.end('not found');
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve({ server, log })));
}
