// A first-time visitor's first click (issue 17): an empty cache, a slow link, the widget and the
// API served by the reference server. For each link: click -> listening, click -> VAD ready,
// bytes on the wire per file (and before the click), and whether the question the visitor asks
// 1.5 s after the click (tests/fixtures/question.wav through the fake microphone) is transcribed.
//
// The link is shaped by a proxy in front of the server rather than by DevTools throttling,
// which applies to the page's own requests but not to those of its workers; here the VAD
// worker fetches the model and the runtime, so every byte must cross the same shaped link: one
// round trip before each response, then the body at the link's rate, shared by all requests.
//   node bench/cold.mjs            -> prints a table, writes bench/reports/cold.json
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { allowGestures } from './gesture.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = 'question.wav';
const truth = JSON.parse(readFileSync(join(root, 'tests/fixtures/fixtures.json'), 'utf8'))[FIXTURE];
const LINKS = [
  { name: '10 Mbit/s, 40 ms', bitsPerS: 10e6, rttMs: 40 },
  { name: 'slow 4G: 1.6 Mbit/s, 150 ms', bitsPerS: 1.6e6, rttMs: 150 },
];
const ANCHORS = 'pre-click bytes: ElevenLabs embed 191 KB, Vapi script tag 67 KB (gzip)';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A proxy that shapes every response to `link` and counts the bytes it passed on, per path. */
function shapedProxy(target, link) {
  const files = new Map();
  let nextFree = 0;
  const bytesPerMs = link.bitsPerS / 8 / 1000;
  const server = http.createServer((req, res) => {
    const up = http.request(new URL(req.url, target), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, async (upRes) => {
      await sleep(link.rttMs);
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const path = new URL(req.url, target).pathname;
      const f = files.get(path) ?? { path, bytes: 0, requests: 0, encoding: upRes.headers['content-encoding'] ?? 'identity', at: performance.now() };
      f.requests++;
      files.set(path, f);
      for await (const chunk of upRes) {
        for (let i = 0; i < chunk.length; i += 16384) {
          const part = chunk.subarray(i, i + 16384);
          const now = performance.now();
          const start = Math.max(now, nextFree);
          nextFree = start + part.length / bytesPerMs;
          if (nextFree - now > 1) await sleep(nextFree - now);
          res.write(part);
          f.bytes += part.length;
        }
      }
      res.end();
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}`, files, close: () => new Promise((r) => server.close(r)) })));
}

const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
const server = await startServer({ port: 0, quiet: true, distDir: join(root, 'dist') });
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(join(root, 'tests/fixtures', FIXTURE)) });
const results = [];
try {
  for (const link of LINKS) {
    const proxy = await shapedProxy(server.url, link);
    const context = await browser.newContext(); // an empty cache
    const page = await allowGestures(await context.newPage());
    await page.goto(`${proxy.url}/dist/voice-assistant.js`);
    const preClick = [...proxy.files.values()].reduce((s, f) => s + f.bytes, 0);
    const r = await page.evaluate(
      async ({ base, speechEndMs }) => {
        await import(`${base}/dist/voice-assistant.js`);
        const el = document.createElement('voice-assistant');
        // Dictation: the question is transcribed and nothing else is fetched (no chat, no speech).
        const attrs = { endpoint: `${base}/v1`, 'token-url': `${base}/token`, mode: 'dictation', stt: 'remote', tts: 'none', preload: 'none' };
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        document.body.append(el);
        await customElements.whenDefined('voice-assistant');
        const out = { errors: [], states: [] };
        await window.benchGesture(); // a real click: the start below runs in its user activation
        const t0 = performance.now();
        const transcript = new Promise((ok) => el.addEventListener('voice-transcript', (e) => ok({ text: e.detail.text, atMs: performance.now() - t0 })));
        el.addEventListener('voice-error', (e) => out.errors.push(e.detail.message));
        const listening = new Promise((ok) =>
          el.addEventListener('voice-state', (e) => {
            out.states.push(e.detail.state);
            if (e.detail.state === 'listening') ok(performance.now() - t0);
          }),
        );
        el.start(); // the click
        out.clickToListeningMs = await listening;
        const session = el.session;
        await session.capture.vad.ready.catch(() => undefined);
        out.clickToVadReadyMs = performance.now() - t0;
        out.micOpenedAfterClickMs = session.capture.openedAt - t0;
        out.speechEndAfterClickMs = out.micOpenedAfterClickMs + speechEndMs;
        const heard = await Promise.race([transcript, new Promise((ok) => setTimeout(() => ok(undefined), 120000))]);
        out.transcript = heard?.text ?? null;
        out.clickToTranscriptMs = heard?.atMs ?? null;
        el.stop();
        el.remove();
        return out;
      },
      { base: proxy.url, speechEndMs: truth.segments.at(-1).endMs },
    );
    const files = [...proxy.files.values()].sort((a, b) => b.bytes - a.bytes);
    const total = files.reduce((s, f) => s + f.bytes, 0);
    results.push({ link, preClickBytes: preClick, activationBytes: total - preClick, files, ...r });
    await context.close();
    await proxy.close();
  }
} finally {
  await browser.close();
  await server.close();
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const mb = (b) => `${(b / 1024 / 1024).toFixed(2)} MB`;
for (const r of results) {
  console.log(`\n${r.link.name} (empty cache, the reference server, tests/fixtures/${FIXTURE} from the click):`);
  console.log(`  before the click (entry)               ${kb(r.preClickBytes).padStart(10)}   budget <= 10 KB; ${ANCHORS}`);
  console.log(`  first activation on the wire           ${mb(r.activationBytes).padStart(10)}   budget <= 4.3 MB (brotli)`);
  console.log(`  click -> listening (mic open)          ${String(Math.round(r.clickToListeningMs)).padStart(7)} ms   budget <= 300 ms`);
  console.log(`  click -> VAD ready                     ${String(Math.round(r.clickToVadReadyMs)).padStart(7)} ms`);
  console.log(`  question spoken (ends at)              ${String(Math.round(r.speechEndAfterClickMs)).padStart(7)} ms after the click`);
  console.log(`  transcribed                            ${r.transcript === null ? 'NO (lost)' : `"${r.transcript}" at ${Math.round(r.clickToTranscriptMs)} ms`}   truth "${truth.text ?? truth.segments.map((s) => s.text).join(' ')}"`);
  if (r.errors.length) console.log(`  errors: ${r.errors.join(' | ')}`);
  for (const f of r.files.filter((f) => f.bytes > 2048)) console.log(`    ${f.path.padEnd(44)} ${kb(f.bytes).padStart(10)}  ${f.encoding}`);
}
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(join(root, 'bench/reports/cold.json'), JSON.stringify({ date: new Date().toISOString(), fixture: `tests/fixtures/${FIXTURE}`, budgets: { clickToListeningMs: 300, activationBytes: 4.3e6, preClickBytes: 10240 }, results }, null, 2));
console.log('\nwrote bench/reports/cold.json');
