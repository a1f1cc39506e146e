// VAD benchmark in real Chromium with the fake microphone playing speech fixtures:
//   - real-time factor: inference time / audio time, measured inside the VAD worker
//   - speech onset (ground truth) -> `voice-speech-start` fired, and speech end -> `voice-speech-end`
//   - main-thread long tasks (PerformanceObserver 'longtask') while listening
//   - start() -> listening, cold (first start in the page) and warm (assets in the HTTP cache)
// Each fixture gets its own browser launch (the fake-capture file is a launch flag). Every start
// replays the file from 0; the measured run is the warm one, so the cold start's backlog (frames
// queued while the model loads) does not inflate the latency.
// Usage: npm run build && node bench/vad.mjs [fixture.wav ...]; writes bench/reports/vad.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { startCdnServer } from '../tests/fakes/cdn-server.mjs';
import { allowGestures } from './gesture.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const truth = JSON.parse(readFileSync(join(root, 'tests/fixtures/fixtures.json'), 'utf8'));
const fixtures = process.argv.slice(2).length ? process.argv.slice(2) : ['one-utterance.wav', 'two-utterances-long-gap.wav', 'dictation.wav'];
const port = Number(process.env.BENCH_PORT ?? 8150);
const { server } = await startCdnServer({ dir: root, port });
const origin = `http://127.0.0.1:${port}`;
const PAGE = `<!doctype html><title>bench vad</title><body><script type="module">
  window.longTasks = [];
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push({ start: e.startTime, duration: e.duration }); })
    .observe({ type: 'longtask', buffered: true });
  await import('/dist/voice-assistant.js');
  customElements.get('voice-assistant').registerEngine('bench-probe', () => ({ transcribe: async () => ({ text: '' }) }));
  window.ready = true;
</script>`;

/** One listening run in the page: start, wait for the file, stop; returns what was measured. */
async function run(page, durationMs) {
  return page.evaluate(async (durationMs) => {
    const el = document.querySelector('voice-assistant') ?? document.body.appendChild(Object.assign(document.createElement('voice-assistant'), {}));
    for (const [k, v] of Object.entries({ preload: 'none', mode: 'dictation', stt: 'bench-probe', tts: 'none' })) el.setAttribute(k, v);
    const starts = [], ends = [];
    const onStart = (e) => starts.push({ at: e.detail.at, firedAt: performance.now() });
    const onEnd = (e) => ends.push({ at: e.detail.at, durationMs: e.detail.durationMs, firedAt: performance.now() });
    el.addEventListener('voice-speech-start', onStart);
    el.addEventListener('voice-speech-end', onEnd);
    await window.benchGesture();
    const t0 = performance.now();
    await el.start();
    const startMs = performance.now() - t0;
    const session = el.session; // internal: the bench reads the worker's counters and the time origin
    const openedAt = session.capture.openedAt;
    const listenFrom = performance.now();
    await new Promise((r) => setTimeout(r, durationMs - (performance.now() - openedAt)));
    const stats = await session.vadStats();
    const listenTo = performance.now();
    el.stop();
    el.removeEventListener('voice-speech-start', onStart);
    el.removeEventListener('voice-speech-end', onEnd);
    const longTasks = window.longTasks.filter((t) => t.start >= listenFrom && t.start < listenTo);
    return { startMs, state: el.state, openedAt, stats, starts, ends, longTasks };
  }, durationMs);
}

const results = [];
for (const name of fixtures) {
  const gt = truth[name];
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: chromiumArgs(name),
  });
  const page = await allowGestures(await browser.newPage());
  await page.route(`${origin}/bench/vad.html`, (r) => r.fulfill({ contentType: 'text/html', body: PAGE }));
  await page.goto(`${origin}/bench/vad.html`);
  await page.waitForFunction(() => window.ready === true);
  const cold = await run(page, 1500);
  const warm = await run(page, gt.durationMs + 900);
  await browser.close();
  const onsetLatency = warm.starts.map((s, i) => gt.segments[i] && Math.round(s.firedAt - (warm.openedAt + gt.segments[i].startMs)));
  const endLatency = warm.ends.map((e, i) => gt.segments[i] && Math.round(e.firedAt - (warm.openedAt + gt.segments[i].endMs)));
  const r = {
    fixture: name,
    coldStartMs: Math.round(cold.startMs),
    warmStartMs: Math.round(warm.startMs),
    rtf: +(warm.stats.inferenceMs / warm.stats.audioMs).toFixed(4),
    msPerFrame: +(warm.stats.inferenceMs / warm.stats.frames).toFixed(2),
    frames: warm.stats.frames,
    segments: `${warm.ends.length} (truth ${gt.segments.length})`,
    onsetToSpeechStartMs: onsetLatency,
    speechEndToSpeechEndEventMs: endLatency,
    startOffsetMs: warm.ends.map((e, i) => gt.segments[i] && Math.round(e.at - e.durationMs - gt.segments[i].startMs)),
    endOffsetMs: warm.ends.map((e, i) => gt.segments[i] && Math.round(e.at - gt.segments[i].endMs)),
    longTasks: warm.longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...warm.longTasks.map((t) => t.duration))),
    coldLongTasks: cold.longTasks.map((t) => Math.round(t.duration)),
  };
  results.push(r);
  console.log(`${name}: RTF ${r.rtf} (${r.msPerFrame} ms per 32 ms frame, ${r.frames} frames); onset -> voice-speech-start ${r.onsetToSpeechStartMs.join(', ')} ms; ` +
    `speech end -> voice-speech-end ${r.speechEndToSpeechEndEventMs.join(', ')} ms (includes silence-ms 700); detected start/end offsets ${r.startOffsetMs.join(', ')} / ${r.endOffsetMs.join(', ')} ms; ` +
    `long tasks while listening: ${r.longTasks} (longest ${r.longestTaskMs} ms); start -> listening cold ${r.coldStartMs} ms, warm ${r.warmStartMs} ms`);
}
server.close();

const mean = (xs) => +(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4);
const summary = {
  rtf: mean(results.map((r) => r.rtf)),
  rtfBudget: 0.02,
  onsetToSpeechStartMs: results.flatMap((r) => r.onsetToSpeechStartMs),
  longTasksOver50ms: results.reduce((n, r) => n + r.longTasks, 0),
  warmStartMs: results.map((r) => r.warmStartMs),
};
console.log(`\nmean RTF ${summary.rtf} (budget ${summary.rtfBudget}: ${summary.rtf <= 0.02 ? 'within' : 'OVER'}); onset -> voice-speech-start ${summary.onsetToSpeechStartMs.join(', ')} ms; long tasks while listening: ${summary.longTasksOver50ms}`);
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(join(root, 'bench/reports/vad.json'), JSON.stringify({ date: new Date().toISOString(), load: (await import('node:os')).loadavg(), summary, results }, null, 2));
