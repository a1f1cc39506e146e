// What the widget costs a realistic host page, measured with the web-vitals library in real
// Chromium under 4x CPU throttling (CDP Emulation.setCPUThrottlingRate): the same page (text,
// images, a banner inserted late that shifts the layout, a button that does work when clicked)
// with and without <voice-assistant>, RUNS times each, interleaved. Reported as medians with min
// and max, and as deltas (with - without): LCP, CLS, INP (a click and a key press), FCP, total
// blocking time (long tasks' time over 50 ms, to 3 s after load), long animation frames the
// widget's scripts took part in, and bytes/requests before activation (before any interaction).
// INP counts only interactions over 40 ms (web-vitals' threshold): 0 means none was that slow.
// Usage: npm run build && node bench/vitals.mjs; writes bench/reports/vitals.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';

const runs = Number(process.env.RUNS ?? 5);
const image = (w, h, hue) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="hsl(${hue} 60% 70%)"/>${'<circle cx="50%" cy="50%" r="30%" fill="white" opacity=".4"/>'.repeat(20)}</svg>`;
const page = (widget) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A shop</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem} .grid{display:grid;grid-template-columns:repeat(3,1fr);gap:1rem} img{max-width:100%}</style>
<script type="module">
  import { onLCP, onCLS, onINP, onFCP } from '/node_modules/web-vitals/dist/web-vitals.js';
  window.vitals = {}; window.longTasks = []; window.loafs = [];
  const keep = (m) => (window.vitals[m.name] = m.value);
  for (const on of [onLCP, onCLS, onINP, onFCP]) on(keep, { reportAllChanges: true });
  new PerformanceObserver((l) => l.getEntries().forEach((e) => window.longTasks.push([e.startTime, e.duration]))).observe({ type: 'longtask', buffered: true });
  if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
    new PerformanceObserver((l) => l.getEntries().forEach((e) => window.loafs.push({ d: e.duration, b: e.blockingDuration, widget: e.scripts.some((s) => s.sourceURL.startsWith(location.origin + '/dist/')) }))).observe({ type: 'long-animation-frame', buffered: true });
</script>
${widget ? '<script type="module" src="/dist/voice-assistant.js"></script>' : ''}
</head><body>
<header><h1>Maple and Wire</h1><p>Repairs, parts and advice since 1998.</p></header>
<img src="/img/hero.svg" alt="hero" width="960" height="360">
<div id="late"></div>
<main><div class="grid">${[1, 2, 3, 4, 5, 6].map((i) => `<article><img src="/img/p${i}.svg" alt=""><h2>Product ${i}</h2><p>${'A sturdy thing that does what it says. '.repeat(6)}</p></article>`).join('')}</div>
${'<p>Paragraph of the host page that must not move because of the widget. '.repeat(3)}</p>'.repeat(12)}
<button id="work">Add to basket</button></main>
${widget ? '<voice-assistant endpoint="/v1" token-url="/token"></voice-assistant>' : ''}
<script>
  // The page's own layout shift: a banner that arrives late, above the products.
  setTimeout(() => { document.getElementById('late').innerHTML = '<p style="height:80px;background:#fde68a">Free delivery this week!</p>'; }, 400);
  document.getElementById('work').addEventListener('click', () => { const t = performance.now(); while (performance.now() - t < 30); });
  addEventListener('load', () => setTimeout(() => (window.settled = performance.now()), 3000));
</script></body></html>`;

const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/' || path === '/with') return res.end(page(path === '/with'));
  const img = path.match(/^\/img\/(\w+)\.svg$/);
  if (img) {
    res.setHeader('Content-Type', 'image/svg+xml');
    // Products' images have no size: they shift the layout as they arrive (the page's own CLS).
    return setTimeout(() => res.end(img[1] === 'hero' ? image(960, 360, 200) : image(300, 200, img[1].length * 40)), 150);
  }
  try {
    const body = await readFile(`.${path}`);
    res.setHeader('Content-Type', path.endsWith('.js') ? 'text/javascript' : 'application/octet-stream');
    res.setHeader('Content-Encoding', 'gzip');
    res.end(gzipSync(body, { level: 9 }));
  } catch {
    res.statusCode = 404;
    res.end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

async function measure(browser, widget) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  const p = await context.newPage();
  const cdp = await context.newCDPSession(p);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  const wire = new Map();
  const urls = new Map();
  cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  await p.goto(`${base}/${widget ? 'with' : ''}`);
  await p.waitForFunction(() => window.settled, null, { timeout: 60000 });
  // Before any interaction: what loading the page cost (a pointer or focus near the launcher
  // would start the widget's preload="hover", which is activation-time cost, not page load).
  const before = [...urls].filter(([, u]) => new URL(u).pathname.startsWith('/dist/'));
  const requests = before.map(([, u]) => new URL(u).pathname);
  const bytes = before.reduce((s, [id]) => s + (wire.get(id) ?? 0), 0);
  await p.click('#work');
  await p.keyboard.press('Enter');
  await p.waitForTimeout(500);
  const m = await p.evaluate(() => {
    const fcp = window.vitals.FCP ?? 0;
    const tbt = window.longTasks.filter(([s]) => s >= fcp && s <= window.settled).reduce((a, [, d]) => a + Math.max(0, d - 50), 0);
    const widgetLoafs = window.loafs.filter((l) => l.widget);
    return { ...window.vitals, TBT: tbt, widgetLongFrames: widgetLoafs.length, widgetBlockingMs: widgetLoafs.reduce((a, l) => a + l.b, 0) };
  });
  await context.close();
  return { ...m, requests: requests.length, requestPaths: requests, bytes };
}

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs() });
const samples = { without: [], with: [] };
try {
  for (let i = 0; i < runs; i++) {
    samples.without.push(await measure(browser, false));
    samples.with.push(await measure(browser, true));
  }
} finally {
  await browser.close();
  server.close();
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (v) => Math.round(v * 1000) / 1000;
  return { median: r(s[Math.floor(s.length / 2)]), min: r(s[0]), max: r(s.at(-1)) };
};
const KEYS = ['LCP', 'CLS', 'INP', 'FCP', 'TBT', 'widgetLongFrames', 'widgetBlockingMs', 'bytes', 'requests'];
const report = { date: new Date().toISOString(), runs, cpuThrottling: 4, without: {}, with: {}, delta: {} };
for (const k of KEYS) {
  report.without[k] = stats(samples.without.map((s) => s[k] ?? 0));
  report.with[k] = stats(samples.with.map((s) => s[k] ?? 0));
  report.delta[k] = stats(samples.with.map((s, i) => (s[k] ?? 0) - (samples.without[i][k] ?? 0)));
}
console.log(`host page under 4x CPU throttling, ${runs} runs each (median [min, max]):`);
for (const k of KEYS) {
  const f = (s) => `${s.median} [${s.min}, ${s.max}]`;
  console.log(`  ${k.padEnd(17)} without ${f(report.without[k]).padEnd(26)} with ${f(report.with[k]).padEnd(26)} delta ${f(report.delta[k])}`);
}
mkdirSync('bench/reports', { recursive: true });
writeFileSync('bench/reports/vitals.json', JSON.stringify({ ...report, samples }, null, 2));
