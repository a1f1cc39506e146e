// What loading the widget costs a host page, in real Chromium over loopback:
//   - bytes transferred before activation (every response the page got from dist/), gzip on the wire
//   - layout shift caused by inserting the floating widget (PerformanceObserver 'layout-shift')
//   - long tasks (> 50 ms) while the entry loads and the element upgrades
// Anchors from DESIGN.md section 5: ElevenLabs' embed sends 191 KB gzip before a click, Vapi's 67 KB.
// Usage: npm run build && node bench/load.mjs; writes bench/reports/load.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';

const runs = Number(process.env.RUNS ?? 5);
const HOST_PAGE = `<!doctype html><html><head><title>host</title></head><body>
<main><h1>A host page</h1>${'<p>Paragraph of the host page that must not move.</p>'.repeat(30)}</main>
<script>
  window.shifts = 0; window.longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.shifts += e.value; }).observe({ type: 'layout-shift', buffered: true });
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
</script>
<script type="module">
  const t0 = performance.now();
  await import('/dist/voice-assistant.js');
  const el = document.createElement('voice-assistant');
  document.body.prepend(el);
  await el.updateComplete;
  window.loadMs = performance.now() - t0;
  window.done = true;
</script></body></html>`;

// Serves with gzip, like a CDN would, so transfer sizes are the bytes on the wire.
const server = createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/') return res.end(HOST_PAGE);
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
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: chromiumArgs(),
});
const samples = [];
try {
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    const wire = new Map();
    cdp.on('Network.loadingFinished', (e) => wire.set(e.requestId, e.encodedDataLength));
    const urls = new Map();
    cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
    await page.goto(url);
    await page.waitForFunction(() => window.done === true);
    await page.waitForTimeout(500);
    const m = await page.evaluate(() => ({ shifts: window.shifts, longTasks: window.longTasks, loadMs: window.loadMs }));
    const dist = [...urls].filter(([, u]) => u.includes('/dist/'));
    samples.push({ ...m, requests: dist.map(([, u]) => new URL(u).pathname), bytes: dist.reduce((s, [id]) => s + (wire.get(id) ?? 0), 0) });
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const report = {
  date: new Date().toISOString(),
  runs,
  bytesBeforeActivation: median(samples.map((s) => s.bytes)),
  requestsBeforeActivation: samples[0].requests,
  layoutShift: Math.max(...samples.map((s) => s.shifts)),
  longTasksOver50ms: Math.max(...samples.map((s) => s.longTasks.filter((d) => d > 50).length)),
  longestTaskMs: Math.max(0, ...samples.flatMap((s) => s.longTasks)),
  entryLoadAndUpgradeMsMedian: median(samples.map((s) => s.loadMs)),
};
console.log(`bytes before activation (on the wire, gzip): ${report.bytesBeforeActivation} B   budget 10240 B`);
console.log(`  requests: ${report.requestsBeforeActivation.join(', ')}`);
console.log(`  vs ElevenLabs embed 191 KB: ${((191 * 1024) / report.bytesBeforeActivation).toFixed(1)}x smaller; vs Vapi 67 KB: ${((67 * 1024) / report.bytesBeforeActivation).toFixed(1)}x`);
console.log(`layout shift from inserting the widget (max of ${runs}): ${report.layoutShift}   budget 0`);
console.log(`long tasks > 50 ms while loading (max of ${runs}): ${report.longTasksOver50ms}   budget 0 (longest task seen: ${report.longestTaskMs.toFixed(0)} ms)`);
console.log(`import + upgrade, median: ${report.entryLoadAndUpgradeMsMedian.toFixed(1)} ms`);
mkdirSync('bench/reports', { recursive: true });
writeFileSync('bench/reports/load.json', JSON.stringify({ ...report, samples }, null, 2));
