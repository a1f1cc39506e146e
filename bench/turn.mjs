// Latency of a conversation turn as the user hears it, against the reference server on loopback:
// from the fixture's ground-truth end of speech to the first sound of the answer (measured on the
// playback output with an analyser), and its parts as voice-metrics reports them (endpoint wait,
// transcription, first token, first audio). Also click -> listening for the page's first and
// second start, and the VAD's real-time factor in its worker.
// Real Chromium with the fake microphone playing tests/fixtures/question.wav, the built bundle
// (run `npm run build` first), the real server (PocketSphinx, demo knowledge responder, Flite).
// Both transports run side by side in one run (turns alternate), and the ratio realtime / http of
// the true end of speech -> first sound is printed; for `realtime` also the first partial
// transcript after the true speech onset, and how far the partials lag the audio: for each word,
// from its end in the file (a forced alignment, scripts/align-words.py) to the first partial that
// holds it in its place.
//   node bench/turn.mjs [turns=5] [transports=http,realtime]  -> prints tables, writes bench/reports/turn.json
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { tsImport } from 'tsx/esm/api';
import { allowGestures } from './gesture.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const turns = Number(process.argv[2] ?? 5);
const FIXTURE = 'question.wav';
const truth = JSON.parse(readFileSync(join(root, 'tests/fixtures/fixtures.json'), 'utf8'))[FIXTURE];
const speechEndMs = truth.segments.at(-1).endMs;
const speechStartMs = truth.segments[0].startMs;
// When each word of the fixture ends (ms into the file), for the partials' lag.
const aligned = spawnSync('/usr/bin/python3', [join(root, 'scripts/align-words.py'), join(root, 'tests/fixtures', FIXTURE), truth.text], { encoding: 'utf8' });
const wordEnds = aligned.status === 0 ? JSON.parse(aligned.stdout) : (console.log(`no word alignment (${aligned.stderr.trim()}): partial lag not measured`), undefined);
const transports = (process.argv[3] ?? 'http,realtime').split(',').filter(Boolean);
const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
const server = await startServer({ port: 0, quiet: true, distDir: join(root, 'dist') });

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(join(root, 'tests/fixtures', FIXTURE)) });

const PARTS = ['endpointMs', 'speechEndToTranscriptMs', 'transcriptToFirstTokenMs', 'firstTokenToFirstAudioMs', 'speechEndToFirstAudioMs'];
const byTransport = Object.fromEntries(transports.map((t) => [t, []]));
try {
  for (let n = 0; n < turns * transports.length; n++) {
    const transport = transports[n % transports.length];
    const results = byTransport[transport];
    const i = Math.floor(n / transports.length);
    const page = await allowGestures(await browser.newPage());
    // Any page of the server's origin will do: same origin as the API, so no CORS is involved.
    await page.goto(`${server.url}/dist/voice-assistant.js`);
    const r = await page.evaluate(
      async ({ base, speechEndMs, speechStartMs, transport }) => {
        await import(`${base}/dist/voice-assistant.js`);
        const el = document.createElement('voice-assistant');
        const attrs = { endpoint: `${base}/v1`, 'token-url': `${base}/token`, stt: 'remote', tts: 'remote', chat: 'remote', voice: 'kal16', preload: 'none', transport };
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        document.body.append(el);
        const out = { transcript: '', answer: '', errors: [] };
        el.addEventListener('voice-transcript', (e) => {
          if (e.detail.final) (out.transcript = e.detail.text), (out.finalAt ??= performance.now());
          else (out.firstPartialAt ??= performance.now()), (out.partials ??= []).push([performance.now(), e.detail.text]);
        });
        el.addEventListener('voice-response', (e) => (out.answer = e.detail.text));
        el.addEventListener('voice-error', (e) => out.errors.push(e.detail.message));
        const listening = () => new Promise((ok) => el.addEventListener('voice-state', (e) => e.detail.state === 'listening' && ok(), { once: false }));
        // Click -> listening, first start of the page (code, model and runtime from the HTTP cache after turn 1) and second start.
        await window.benchGesture();
        let t = performance.now();
        let heard = listening();
        await el.start();
        await heard;
        out.firstStartMs = performance.now() - t;
        el.stop();
        await window.benchGesture();
        t = performance.now();
        heard = listening();
        await el.start();
        await heard;
        out.secondStartMs = performance.now() - t;
        // The first sound of the answer, on the playback output.
        let firstSoundAt;
        el.session.playback.queue.addTap((node, ctx) => {
          const a = new AnalyserNode(ctx, { fftSize: 256 });
          node.connect(a);
          const buf = new Float32Array(a.fftSize);
          const poll = setInterval(() => {
            a.getFloatTimeDomainData(buf);
            if (Math.max(...buf.map(Math.abs)) > 0.01) {
              firstSoundAt = performance.now();
              clearInterval(poll);
            }
          }, 2);
        });
        const metrics = new Promise((ok, fail) => {
          el.addEventListener('voice-metrics', (e) => ok(e.detail), { once: true });
          setTimeout(() => fail(new Error(`no voice-metrics in 45 s (${JSON.stringify(out)})`)), 45000);
        });
        out.metrics = await metrics;
        await new Promise((ok) => setTimeout(ok, 300));
        // The fake microphone's file starts when getUserMedia resolves (capture.openedAt).
        out.trueEndToFirstSoundMs = firstSoundAt - (el.session.capture.openedAt + speechEndMs);
        if (out.firstPartialAt !== undefined) out.trueOnsetToFirstPartialMs = out.firstPartialAt - (el.session.capture.openedAt + speechStartMs);
        // Partials and the final on the file's time line (ms since the microphone opened).
        out.partials = out.partials?.map(([at, text]) => [at - el.session.capture.openedAt, text]);
        if (out.finalAt !== undefined) out.finalAt -= el.session.capture.openedAt;
        out.vad = await el.session.vadStats();
        el.stop();
        el.remove();
        return out;
      },
      { base: server.url, speechEndMs, speechStartMs, transport },
    );
    await page.close();
    if (r.partials && wordEnds) r.partialLagMs = partialLag(r.partials, r.finalAt);
    results.push(r);
    const rtf = r.vad.inferenceMs / r.vad.audioMs;
    console.log(
      `${transport} turn ${i + 1}: "${r.transcript}" true end -> first sound ${Math.round(r.trueEndToFirstSoundMs)} ms; ` +
        `${PARTS.map((k) => `${k.replace(/Ms$/, '')} ${r.metrics[k]}`).join(', ')}; start ${Math.round(r.firstStartMs)}/${Math.round(r.secondStartMs)} ms; VAD RTF ${rtf.toFixed(3)}` +
        (r.trueOnsetToFirstPartialMs !== undefined ? `; first partial ${Math.round(r.trueOnsetToFirstPartialMs)} ms after the true onset` : '') +
        (r.partialLagMs ? `; words shown ${r.partialLagMs.map((w) => `${w.word} +${w.lagMs}`).join(', ')} ms after they ended` : ''),
    );
  }
} finally {
  await browser.close();
  await server.close();
}

/**
 * For each word of the fixture: the first partial whose word in that place is it (else the final
 * transcript), minus when the word ended in the file. A word recognised wrongly all along counts
 * from when the final came.
 */
function partialLag(partials, finalAt) {
  return wordEnds.map((w, i) => {
    const shown = partials.find(([, text]) => text.toLowerCase().split(/\s+/)[i] === w.word);
    return { word: w.word, lagMs: Math.round((shown ? shown[0] : finalAt) - w.endMs), inPartial: !!shown };
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const row = (name, xs, budget, anchor = '') => {
  const m = median(xs);
  console.log(`  ${name.padEnd(38)} ${String(Math.round(m * 1000) / 1000).padStart(8)}   budget ${budget}${anchor ? `   ${anchor}` : ''}`);
  return m;
};
const summaries = {};
for (const [transport, results] of Object.entries(byTransport)) {
  if (!results.length) continue;
  console.log(`\n${transport}: median of ${results.length} turns (${FIXTURE}, reference server on loopback, silence-ms 500):`);
const summary = (summaries[transport] = {
  trueEndToFirstSoundMs: row('true end of speech -> first sound (ms)', results.map((r) => r.trueEndToFirstSoundMs), transport === 'realtime' ? '<= 600' : '<= 700', 'OpenAI Realtime: 500 ms of silence alone; LiveKit endpointing 500 ms'),
  endpointMs: row('  of which endpoint wait (ms)', results.map((r) => r.metrics.endpointMs), '-'),
  speechEndToTranscriptMs: row('  speech end -> transcript (ms)', results.map((r) => r.metrics.speechEndToTranscriptMs), '-'),
  transcriptToFirstTokenMs: row('  transcript -> first token (ms)', results.map((r) => r.metrics.transcriptToFirstTokenMs), '<= 300', 'seed: first token <= 300 ms'),
  firstTokenToFirstAudioMs: row('  first token -> first audio (ms)', results.map((r) => r.metrics.firstTokenToFirstAudioMs), '-'),
  speechEndToFirstAudioMs: row('widget\'s own speechEndToFirstAudio (ms)', results.map((r) => r.metrics.speechEndToFirstAudioMs), '-'),
  firstStartMs: row('click -> listening, first start (ms)', results.map((r) => r.firstStartMs), '<= 700', 'vad-web MicVAD.new 1.0-1.5 s'),
  secondStartMs: row('click -> listening, second start (ms)', results.map((r) => r.secondStartMs), '<= 300'),
  vadRtf: row('VAD real-time factor (in its worker)', results.map((r) => r.vad.inferenceMs / r.vad.audioMs), '<= 0.02'),
});
const partials = results.map((r) => r.trueOnsetToFirstPartialMs).filter((x) => x !== undefined);
if (partials.length) summary.trueOnsetToFirstPartialMs = row('true onset -> first partial transcript (ms)', partials, '<= 600', 'seed: partial ASR <= 150 ms');
const lags = results.flatMap((r) => r.partialLagMs?.map((w) => w.lagMs) ?? []);
if (lags.length) {
  summary.partialLagMs = row('word end -> shown in a partial (ms)', lags, '<= 300', `all ${lags.length} words of ${results.length} turns; max ${Math.max(...lags)}`);
  summary.partialLagMaxMs = Math.max(...lags);
}
}
if (summaries.http && summaries.realtime) {
  const ratio = summaries.realtime.trueEndToFirstSoundMs / summaries.http.trueEndToFirstSoundMs;
  console.log(`\nrealtime / http, true end of speech -> first sound (medians): ${ratio.toFixed(2)} (budget: < 1)`);
  summaries.ratioRealtimeToHttp = ratio;
}
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(
  join(root, 'bench/reports/turn.json'),
  JSON.stringify({ date: new Date().toISOString(), fixture: `tests/fixtures/${FIXTURE}`, turns, transports, median: summaries, budgets: { trueEndToFirstSoundMs: { http: 700, realtime: 600 }, trueOnsetToFirstPartialMs: 600, partialLagMs: 300, firstStartMs: 700, secondStartMs: 300, vadRtf: 0.02 }, results: byTransport }, null, 2),
);
console.log('wrote bench/reports/turn.json');
