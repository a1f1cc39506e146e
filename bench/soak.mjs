// A long session: 10 minutes of conversation turns, driven faster than real time, with memory
// and buffer sizes sampled as it goes. The built element (run `npm run build` first) listens to
// the fake microphone the whole time (capture worklet + VAD worker running in real time), while
// utterances of 2 s are fed straight to its conversation controller, one per 5 s of simulated
// time: STT -> streamed chat -> TTS -> playback against the fault server on loopback
// (tests/fakes/fault-server.mjs). Every 15th turn the server fails (HTTP 500) and the turn is
// resent with retry() once it is back ("nothing lost"), after an open breaker's cooldown if the
// failures opened it.
//   node bench/soak.mjs [simulated-minutes=10]  -> prints samples, writes bench/reports/soak.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { tsImport } from 'tsx/esm/api';
import { startFaultServer } from '../tests/fakes/fault-server.mjs';
import { allowGestures } from './gesture.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const minutes = Number(process.argv[2] ?? 10);
const TURN_S = 5;
const turns = Math.round((minutes * 60) / TURN_S);
const SAMPLE_EVERY = Math.max(1, Math.round(turns / 20));

const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
const site = await startServer({ port: 0, quiet: true, distDir: join(root, 'dist') });
const api = await startFaultServer({ port: 0 });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: chromiumArgs(join(root, 'tests/fixtures/silence.wav')),
});
const setSwitch = (kind) => fetch(`${api.url}/__switch?name=soak&kind=${kind}`, { method: 'POST' });

const samples = [];
let totals;
const t0 = Date.now();
try {
  const page = await allowGestures(await browser.newPage());
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${site.url}/dist/voice-assistant.js`);
  const cdp = await page.context().newCDPSession(page);
  const heap = async () => {
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.evaluate(async ({ base, endpoint }) => {
    await import(`${base}/dist/voice-assistant.js`);
    const el = document.createElement('voice-assistant');
    const attrs = { endpoint, stt: 'remote', tts: 'remote', chat: 'remote', preload: 'none', 'rate-limit': 'stt=100000/s;tts=100000/s;chat=100000/s' };
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.body.append(el);
    const counts = { transcripts: 0, responses: 0, errors: 0, retried: 0, circuit: 0, waitedMs: 0, lost: 0 };
    el.addEventListener('voice-transcript', () => counts.transcripts++);
    el.addEventListener('voice-response', (e) => e.detail.final && counts.responses++);
    el.addEventListener('voice-error', () => counts.errors++);
    el.addEventListener('voice-circuit', () => counts.circuit++);
    await window.benchGesture();
    await el.start();
    // Two seconds of a voice-like signal at 16 kHz: the size of a real utterance.
    const audio = Float32Array.from({ length: 32000 }, (_, i) => 0.3 * Math.sin(i / 7) * Math.sin(i / 3000));
    Object.assign(window, { soak: { el, counts, audio } });
  }, { base: site.url, endpoint: `${api.url}/switch/soak/v1` });

  const sizes = () =>
    page.evaluate(() => {
      const { el, counts } = window.soak;
      const s = el.session;
      return {
        state: el.state,
        panelLines: el.lines.length,
        history: s.conversation.history.length,
        keptUtteranceSamples: s.conversation.lastFailed?.length ?? 0,
        playbackSources: s.playback.queue.sources?.size ?? null,
        measures: performance.getEntriesByType('measure').length,
        marks: performance.getEntriesByType('mark').length,
        held: s.debugHeld().length,
        shadowNodes: el.shadowRoot.querySelectorAll('*').length,
        counts: { ...counts },
      };
    });

  for (let turn = 1; turn <= turns; turn++) {
    const fail = turn % 15 === 7;
    if (fail) await setSwitch('500');
    await page.evaluate(async () => {
      const { el, audio } = window.soak;
      await el.session.conversation.handleUtterance(audio, { endedAt: performance.now() });
    });
    if (fail) await setSwitch('ok');
    // Nothing lost: an utterance every engine failed on is kept; like a user, wait as long as the
    // widget says (an open breaker's cooldown) and retry() until it goes through. Turns run faster
    // than real time, so the breaker's rolling window sees failures closer together than a person
    // would make them, and it does open now and then: that is part of what is measured.
    await page.evaluate(async () => {
      const { el, counts } = window.soak;
      const s = el.session;
      for (let i = 0; i < 5 && s.conversation.lastFailed; i++) {
        const wait = Math.max(0, ...['stt', 'chat', 'tts'].map((op) => s.resilience.breakers.get('remote', op).retryAfterMs));
        counts.waitedMs += wait;
        await new Promise((r) => setTimeout(r, wait + 50));
        counts.retried++;
        await el.retry();
      }
      if (s.conversation.lastFailed) counts.lost++;
    });
    if (turn === 1 || turn % SAMPLE_EVERY === 0 || turn === turns) {
      const s = { turn, simulatedS: turn * TURN_S, wallS: (Date.now() - t0) / 1000, heapMB: (await heap()) / 1e6, ...(await sizes()) };
      samples.push(s);
      console.log(
        `turn ${String(turn).padStart(4)}  sim ${String(s.simulatedS).padStart(5)} s  wall ${s.wallS.toFixed(0).padStart(4)} s  heap ${s.heapMB.toFixed(2)} MB  ` +
          `lines ${s.panelLines}  history ${s.history}  kept ${s.keptUtteranceSamples}  measures ${s.measures}  marks ${s.marks}  held ${s.held}  nodes ${s.shadowNodes}`,
      );
    }
  }
  totals = await page.evaluate(() => {
    const { el, counts } = window.soak;
    el.stop();
    el.remove();
    return counts;
  });
} finally {
  await browser.close();
  await api.close();
  await site.close();
}

// Heap trend after the first quarter (warm-up: caches, lazy chunks, JIT), least squares.
const tail = samples.slice(Math.floor(samples.length / 4));
const n = tail.length;
const mx = tail.reduce((a, s) => a + s.simulatedS, 0) / n;
const my = tail.reduce((a, s) => a + s.heapMB, 0) / n;
const slope = tail.reduce((a, s) => a + (s.simulatedS - mx) * (s.heapMB - my), 0) / (tail.reduce((a, s) => a + (s.simulatedS - mx) ** 2, 0) || 1);
const summary = {
  turns,
  simulatedMinutes: minutes,
  wallSeconds: Math.round((Date.now() - t0) / 1000),
  heapMB: { first: samples[0].heapMB, afterWarmup: tail[0].heapMB, last: samples.at(-1).heapMB, max: Math.max(...samples.map((s) => s.heapMB)) },
  heapSlopeMBPerSimulatedHour: +(slope * 3600).toFixed(3),
  counts: totals,
};
console.log('\nsoak:', JSON.stringify(summary, null, 2));
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(join(root, 'bench/reports/soak.json'), JSON.stringify({ date: new Date().toISOString(), summary, samples }, null, 2));
console.log('wrote bench/reports/soak.json');
