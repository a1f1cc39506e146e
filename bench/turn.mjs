// Latency of one conversation turn against the reference server on loopback:
// speech end (VAD decision) -> transcript -> first token -> first audio, median of several turns.
// Real Chromium with the fake microphone playing tests/fixtures/question.wav, the built bundle
// (run `npm run build` first), the real server (PocketSphinx, demo knowledge responder, Flite).
//   node bench/turn.mjs [turns=5]    -> prints a table, writes bench/reports/turn.json
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { tsImport } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const turns = Number(process.argv[2] ?? 5);
const fixture = join(root, 'tests/fixtures/question.wav');
const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
const server = await startServer({ port: 0, quiet: true, distDir: join(root, 'dist') });

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: chromiumArgs(fixture),
});

const KEYS = ['speechEndToTranscriptMs', 'transcriptToFirstTokenMs', 'firstTokenToFirstAudioMs', 'speechEndToFirstAudioMs'];
const results = [];
try {
  for (let i = 0; i < turns; i++) {
    const page = await browser.newPage();
    // Any page of the server's origin will do: same origin as the API, so no CORS is involved.
    await page.goto(`${server.url}/dist/voice-assistant.js`);
    const r = await page.evaluate(async (base) => {
      await import(`${base}/dist/voice-assistant.js`);
      const el = document.createElement('voice-assistant');
      const attrs = { endpoint: `${base}/v1`, 'token-url': `${base}/token`, stt: 'remote', tts: 'remote', chat: 'remote', voice: 'kal16', preload: 'none' };
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      document.body.append(el);
      const out = { transcript: '', answer: '', errors: [] };
      el.addEventListener('voice-transcript', (e) => (out.transcript = e.detail.text));
      el.addEventListener('voice-response', (e) => (out.answer = e.detail.text));
      el.addEventListener('voice-error', (e) => out.errors.push(e.detail.message));
      const metrics = new Promise((ok, fail) => {
        el.addEventListener('voice-metrics', (e) => ok(e.detail), { once: true });
        setTimeout(() => fail(new Error(`no voice-metrics in 45 s (${JSON.stringify(out)})`)), 45000);
      });
      await el.start();
      out.metrics = await metrics;
      el.stop();
      return out;
    }, server.url);
    await page.close();
    results.push(r);
    console.log(`turn ${i + 1}: "${r.transcript}" -> ${KEYS.map((k) => `${k.replace(/Ms$/, '')} ${r.metrics[k]}`).join(', ')}`);
  }
} finally {
  await browser.close();
  await server.close();
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const summary = Object.fromEntries(KEYS.map((k) => [k, median(results.map((r) => r.metrics[k]))]));
console.log('\nmedian of %d turns (reference server on loopback, speech end = the VAD\'s decision, silence-ms after the last word):', results.length);
console.log(`  speech end -> transcript     ${summary.speechEndToTranscriptMs} ms`);
console.log(`  transcript -> first token    ${summary.transcriptToFirstTokenMs} ms`);
console.log(`  first token -> first audio   ${summary.firstTokenToFirstAudioMs} ms`);
console.log(`  speech end -> first audio    ${summary.speechEndToFirstAudioMs} ms   (budget 800 ms)`);
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(
  join(root, 'bench/reports/turn.json'),
  JSON.stringify({ date: new Date().toISOString(), fixture: 'tests/fixtures/question.wav', turns: results.length, median: summary, budgetMs: 800, results }, null, 2),
);
console.log('wrote bench/reports/turn.json');
