// Local engines benchmark (issue 5) in real Chromium, against the built dist/ on a loopback
// static server and nothing else:
//   - time to first audio for a sentence through the element's speak() with tts="local":
//     cold (empty HTTP cache), hot (same page, module compiled), warm (new page, HTTP cache)
//   - synthesis real-time factor (Flite worker) and recognition real-time factor (PocketSphinx
//     worker), measured inside the workers on the dist/ builds
//   - bytes each engine downloads (as the server saw them; and gzip, what a compressing CDN sends),
//     cold and on a second activation
//   - speech end -> voice-command for a spoken command (fake microphone), default local chains
// A persistent profile is used, so the HTTP cache is on disk as in a real browser (Playwright's
// default incognito context keeps no entry as large as flite.wasm in its in-memory cache).
// Usage: npm run build && node bench/local.mjs; writes bench/reports/local.json.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { startCdnServer } from '../tests/fakes/cdn-server.mjs';
import { allowGestures } from './gesture.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const port = Number(process.env.BENCH_PORT ?? 8340);
// The page is a real file beside a link to dist/: Playwright's request routing would turn the
// HTTP cache off, and the cache is what a second activation is about.
const site = mkdtempSync(join(tmpdir(), 'bench-local-site-'));
symlinkSync(join(root, 'dist'), join(site, 'dist'));
const { server, log } = await startCdnServer({ dir: site, port });
const origin = `http://127.0.0.1:${port}`;
const SENTENCE = 'Your order has shipped and should arrive on Tuesday.';
const COMMANDS = 'turn on the lights; turn off the lights; next page; previous page';
const PAGE = `<!doctype html><title>bench local</title><body><script type="module">
  await import('/dist/voice-assistant.js');
  window.ready = true;
</script>`;

const profile = mkdtempSync(join(tmpdir(), 'bench-local-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: chromiumArgs(join(root, 'tests/fixtures/command-lights-on.wav')),
});
const foreign = new Set();
context.on('request', (r) => {
  const o = new URL(r.url()).origin;
  if (o !== origin && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) foreign.add(r.url());
});
writeFileSync(join(site, 'index.html'), PAGE);

async function openPage() {
  const page = await allowGestures(await context.newPage());
  await page.goto(`${origin}/index.html`);
  await page.waitForFunction(() => window.ready === true);
  return page;
}

/** Files the server sent since `from` (index into its log) for one engine, with raw and gzip bytes. */
function downloads(from, test) {
  const files = log.slice(from).filter((l) => l.status === 200 && test(l.path)).map((l) => l.path);
  const size = (p) => statSync(join(site, decodeURIComponent(p))).size;
  const gz = (p) => gzipSync(readFileSync(join(site, decodeURIComponent(p)))).length;
  return { files: files.length, bytes: files.reduce((s, p) => s + size(p), 0), gzipBytes: files.reduce((s, p) => s + gz(p), 0) };
}
const isTts = (p) => /^\/dist\/flite[.-]/.test(p);
const isStt = (p) => /^\/dist\/(sphinx[-/]|soundswallower)/.test(p);

/** speak(text) twice on one element: ms from the call to the first audible sample, each time. */
async function speakTwice(page) {
  return page.evaluate(async (text) => {
    const el = document.body.appendChild(document.createElement('voice-assistant'));
    for (const [k, v] of Object.entries({ preload: 'none', tts: 'local' })) el.setAttribute(k, v);
    await el.speak('');
    const playback = el.session.playback.queue; // internal: a tap on the playback output
    let heardAt;
    playback.addTap((out, ctx) => {
      const a = new AnalyserNode(ctx, { fftSize: 256 });
      out.connect(a);
      const buf = new Float32Array(256);
      const poll = () => {
        a.getFloatTimeDomainData(buf);
        if (buf.some((x) => Math.abs(x) > 0.005)) heardAt ??= performance.now();
        requestAnimationFrame(poll);
      };
      setInterval(poll, 2);
    });
    const times = [];
    for (let i = 0; i < 2; i++) {
      heardAt = undefined;
      const t0 = performance.now();
      const done = el.speak(text);
      while (heardAt === undefined) await new Promise((r) => setTimeout(r, 2));
      times.push(heardAt - t0);
      await done;
    }
    el.remove();
    return times;
  }, SENTENCE);
}

/** Command mode from the fake microphone: speech end -> voice-command, and what was heard. */
async function command(page) {
  return page.evaluate(async (commands) => {
    const el = document.body.appendChild(document.createElement('voice-assistant'));
    for (const [k, v] of Object.entries({ preload: 'none', mode: 'command', commands })) el.setAttribute(k, v);
    let endAt;
    el.addEventListener('voice-speech-end', () => (endAt = performance.now()));
    const got = new Promise((resolve) => {
      el.addEventListener('voice-command', (e) => resolve({ phrase: e.detail.phrase, ms: performance.now() - endAt }));
      el.addEventListener('voice-error', (e) => resolve({ error: e.detail.message }));
      setTimeout(() => resolve({ error: 'no voice-command within 60 s' }), 60000);
    });
    await window.benchGesture();
    await el.start();
    const r = await got;
    el.stop();
    el.remove();
    return r;
  }, COMMANDS);
}

/** The dist/ workers driven directly: synthesis and recognition real-time factors. */
async function realTimeFactors(page) {
  return page.evaluate(async () => {
    const rpc = (url) => {
      const w = new Worker(url, { type: 'module' });
      let id = 0;
      const call = (m, transfer = []) =>
        new Promise((resolve, reject) => {
          const mine = ++id;
          const on = (e) => e.data.id === mine && (w.removeEventListener('message', on), e.data.ok ? resolve(e.data.value) : reject(new Error(e.data.message)));
          w.addEventListener('message', on);
          w.postMessage({ ...m, id: mine }, transfer);
        });
      return { call, end: () => w.terminate() };
    };
    const bytes = async (f) => (await fetch(`/dist/${f}`)).arrayBuffer();
    const sentences = [
      'Welcome back.', 'Your order has shipped and should arrive on Tuesday.', 'The library opens at nine in the morning.',
      'I could not find that page, but here are some similar results.', 'Turn on the lights.', 'Next page.',
    ];
    const flite = rpc('/dist/flite-worker.js');
    const t0 = performance.now();
    const init = await flite.call({ type: 'init', wasm: await bytes('flite.wasm') });
    const fliteReadyMs = performance.now() - t0;
    const synth = { slt: { ms: 0, s: 0 }, kal16: { ms: 0, s: 0 } };
    const clips = [];
    for (const voice of Object.keys(synth)) {
      for (const text of sentences) {
        const r = await flite.call({ type: 'speak', text, voice });
        synth[voice].ms += r.synthMs;
        synth[voice].s += r.samples.length / r.sampleRate;
        if (voice === 'kal16') clips.push({ text, samples: r.samples, rate: r.sampleRate });
      }
    }
    flite.end();
    const model = ['feat_params.json', 'mdef', 'transition_matrices', 'means', 'variances', 'sendump', 'noisedict.txt', 'dict.txt'];
    const sphinx = rpc('/dist/sphinx-worker.js');
    const t1 = performance.now();
    const modelBytes = Object.fromEntries(await Promise.all(model.map(async (f) => [f, await bytes(`sphinx-en-us/${f}`)])));
    const loaded = await sphinx.call({ type: 'init', wasm: await bytes('soundswallower.wasm'), model: modelBytes });
    const sphinxReadyMs = performance.now() - t1;
    const grammar = ['Turn on the lights.', 'Next page.', 'Welcome back.', 'Previous page', 'Turn off the lights'];
    let decodeMs = 0, seconds = 0, correct = 0, n = 0;
    for (const clip of clips) {
      const ctx = new OfflineAudioContext(1, Math.ceil((clip.samples.length * 16000) / clip.rate) + 9600, 16000);
      const buf = ctx.createBuffer(1, clip.samples.length, clip.rate);
      buf.copyToChannel(clip.samples, 0);
      const src = ctx.createBufferSource();
      src.buffer = buf;
      src.connect(ctx.destination);
      src.start(0.3);
      const audio = (await ctx.startRendering()).getChannelData(0).slice();
      const r = await sphinx.call({ type: 'recognize', audio, grammar });
      decodeMs += r.decodeMs;
      seconds += audio.length / 16000;
      n++;
      if (r.text === (grammar.includes(clip.text) ? clip.text : '')) correct++;
    }
    sphinx.end();
    return {
      fliteCompileMs: init.compileMs, fliteReadyMs, sphinxLoadMs: loaded.loadMs, sphinxReadyMs,
      synthesisRtf: Object.fromEntries(Object.entries(synth).map(([v, x]) => [v, x.ms / 1000 / x.s])),
      synthesizedSeconds: synth.kal16.s,
      recognitionRtf: decodeMs / 1000 / seconds, recognisedSeconds: seconds, recognitionCorrect: `${correct}/${n}`,
    };
  });
}

const round = (x, d = 0) => +x.toFixed(d);
let mark = log.length;
const page1 = await openPage();
const [coldMs, hotMs] = await speakTwice(page1);
const ttsCold = downloads(mark, isTts);
mark = log.length;
const cmdCold = await command(page1);
const sttCold = downloads(mark, isStt);
await page1.close();

mark = log.length;
const page2 = await openPage();
const [warmMs] = await speakTwice(page2);
const ttsWarm = downloads(mark, isTts);
mark = log.length;
const cmdWarm = await command(page2);
const sttWarm = downloads(mark, isStt);
const rtf = await realTimeFactors(page2);
await page2.close();
await context.close();
server.close();
rmSync(profile, { recursive: true, force: true });
rmSync(site, { recursive: true, force: true });

const report = {
  date: new Date().toISOString(),
  load: (await import('node:os')).loadavg(),
  sentence: SENTENCE,
  timeToFirstAudioMs: { cold: round(coldMs), hot: round(hotMs), warm: round(warmMs) },
  synthesisRtf: Object.fromEntries(Object.entries(rtf.synthesisRtf).map(([v, x]) => [v, round(x, 4)])),
  recognitionRtf: round(rtf.recognitionRtf, 4),
  recognition: { correct: rtf.recognitionCorrect, seconds: round(rtf.recognisedSeconds, 1) },
  startup: { fliteCompileMs: round(rtf.fliteCompileMs), fliteReadyMs: round(rtf.fliteReadyMs), sphinxLoadMs: round(rtf.sphinxLoadMs), sphinxReadyMs: round(rtf.sphinxReadyMs) },
  downloads: { tts: { cold: ttsCold, secondActivation: ttsWarm }, stt: { cold: sttCold, secondActivation: sttWarm } },
  command: { cold: cmdCold, warm: cmdWarm },
  requestsOutsideTheStaticOrigin: [...foreign],
};
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
console.log(`time to first audio ("${SENTENCE}"): cold ${report.timeToFirstAudioMs.cold} ms, hot ${report.timeToFirstAudioMs.hot} ms, warm (HTTP cache, new page) ${report.timeToFirstAudioMs.warm} ms`);
console.log(`synthesis RTF: ${Object.entries(report.synthesisRtf).map(([v, x]) => `${v} ${x}`).join(', ')} (${rtf.synthesizedSeconds.toFixed(1)} s of speech); Flite compile ${report.startup.fliteCompileMs} ms`);
console.log(`recognition RTF: ${report.recognitionRtf} (${report.recognition.seconds} s, ${report.recognition.correct} right); PocketSphinx load ${report.startup.sphinxLoadMs} ms`);
console.log(`downloads, cold: tts ${ttsCold.files} files ${mb(ttsCold.bytes)} (${mb(ttsCold.gzipBytes)} gzip), stt ${sttCold.files} files ${mb(sttCold.bytes)} (${mb(sttCold.gzipBytes)} gzip); second activation: tts ${mb(ttsWarm.bytes)}, stt ${mb(sttWarm.bytes)}`);
console.log(`command (fake mic, "turn on the lights"): cold ${JSON.stringify(cmdCold)}, warm ${JSON.stringify(cmdWarm)} (ms = speech end -> voice-command)`);
console.log(`requests outside the static origin: ${report.requestsOutsideTheStaticOrigin.length}`);
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(join(root, 'bench/reports/local.json'), JSON.stringify(report, null, 2));
