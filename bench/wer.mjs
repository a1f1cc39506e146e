// Does the widget make recognition worse? Word error rate of the reference server's recogniser
// (PocketSphinx, server/) on real human speech (tests/fixtures/human/, built by
// scripts/human-fixtures.mjs: Asterisk prompts, clean and with pink noise at 10 dB SNR):
//   file    the prompt's span of the fixture (as packaged, no added silence) POSTed directly
//   padded  the whole fixture (1.5 s silence, prompt, 2 s silence) POSTed directly
//   widget  the same fixture through the built element in real Chromium: fake microphone,
//           getUserMedia processing, capture worklet (resampler), Silero VAD, remote STT
// and, on the first --stages prompts, how each stage changes the widget's WER: each browser
// processing feature alone, none, all, an AudioContext at 16 kHz (the worklet's resampler then
// has nothing to convert), and segment edges widened (pre-roll and tail).
// Budgets (DESIGN.md / issue 16): clean widget <= 1.05 x file; noisy widget <= file.
// Usage: node bench/wer.mjs [--prompts N] [--stages N] [--jobs N] [--reuse-direct] [--grammar-only]; writes bench/reports/wer.json.
// The command-like prompts also go through the local grammar recogniser (stt="local"): directly and through the widget.
// The server runs its warm recognisers (default) or, with WER_RECOGNISER=process, one
// pocketsphinx_continuous per request; both columns always use the same server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { CHROMIUM_PATH, chromiumArgs } from '../scripts/chromium-args.mjs';
import { errors, pad, pct, ratio, wer } from './wer-score.mjs';
import { grammarInPage, listenInPage } from './wer-page.mjs';
import { allowGestures } from './gesture.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const PROMPTS = arg('prompts', Infinity), STAGES = arg('stages', 8), JOBS = arg('jobs', 2);

if (spawnSync('node', [join(root, 'scripts/human-fixtures.mjs')], { stdio: 'inherit' }).status !== 0) process.exit(1);
if (!existsSync(join(root, 'dist/voice-assistant.js'))) spawnSync('npm', ['run', 'build'], { stdio: 'inherit', cwd: root });
const dir = join(root, 'tests/fixtures/human');
const truth = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8'));
const names = Object.keys(truth).slice(0, PROMPTS);

const { startServer } = await tsImport('../server/src/server.ts', import.meta.url);
const server = await startServer({
  port: 0, quiet: true, distDir: join(root, 'dist'),
  tokenRateLimit: { burst: 10000, perMinute: 100000 },
  tokenTtlS: 3600,
  // A shared 2-core machine: noisy audio can take PocketSphinx over the default 15 s.
  engineTimeoutMs: 60_000,
  ...(process.env.WER_RECOGNISER === 'process' ? { recogniser: 'process' } : {}),
});

/** The variants: processing (audio-processing attribute), segment tuning, AudioContext rate. */
const DEFAULT = { name: 'default', processing: 'auto' };
const STAGE_VARIANTS = [
  { name: 'none', processing: 'none' },
  { name: 'all three', processing: 'echo-cancellation noise-suppression auto-gain-control' },
  { name: 'echo-cancellation', processing: 'echo-cancellation' },
  { name: 'noise-suppression', processing: 'noise-suppression' },
  { name: 'auto-gain-control', processing: 'auto-gain-control' },
  { name: 'context 16 kHz', processing: 'auto', contextRate: 16000 },
  { name: 'edges widened', processing: 'auto', tuning: { leadMs: 320, tailMs: 480 } },
];

async function token() {
  return (await (await fetch(`${server.url}/token`)).json()).token;
}

/** POSTs 16 kHz mono 16-bit samples as a WAV file to the server's transcription endpoint. */
async function transcribe(samples, bearer) {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples.length * 2, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(16000, 24);
  b.writeUInt32LE(32000, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(samples.length * 2, 40);
  Buffer.from(samples.buffer, samples.byteOffset, samples.length * 2).copy(b, 44);
  const form = new FormData();
  form.append('file', new Blob([b], { type: 'audio/wav' }), 'audio.wav');
  form.append('language', 'en');
  for (let attempt = 1; ; attempt++) {
    const r = await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers: { authorization: `Bearer ${bearer}` } });
    if (r.ok) return (await r.json()).text;
    // A recogniser timeout on an overloaded machine is tried once more, then counted as nothing heard.
    const why = `transcription ${r.status}: ${await r.text()}`;
    if (attempt >= 2) return console.error(why), '';
  }
}

const pcm = (file) => {
  const b = readFileSync(file);
  return new Int16Array(b.buffer.slice(b.byteOffset + 44, b.byteOffset + b.length));
};

async function direct() {
  const bearer = await token();
  const rows = Object.fromEntries(names.map((n) => [n, {}]));
  await pool(names.flatMap((name) => ['clean', 'noisy'].map((kind) => async () => {
    const t = truth[name];
    const x = pcm(join(dir, `${name}.${kind}.wav`));
    const [a, b] = t.promptMs.map((ms) => Math.round(ms * 16));
    const file = await transcribe(x.subarray(a, b), bearer);
    const padded = await transcribe(x, bearer);
    rows[name][kind] = { file: { text: file, ...errors(t.words, file) }, padded: { text: padded, ...errors(t.words, padded) } };
  })), 2);
  return rows;
}

/** Every variant of one fixture in one browser (the fake microphone's file is a launch flag). */
async function throughWidget(name, kind, variants) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(join(dir, `${name}.${kind}.wav`)) });
  try {
    const page = await allowGestures(await browser.newPage());
    page.on('pageerror', (e) => console.error(`[${name}.${kind}] page error: ${e.message}`));
    // Any page of the server's origin will do: same origin as the API, no CORS involved.
    await page.goto(`${server.url}/dist/voice-assistant.js`);
    return await page.evaluate(listenInPage, { base: server.url, durationMs: truth[name].durationMs, speech: truth[name].speech, variants });
  } finally {
    await browser.close();
  }
}

/** The local grammar recogniser on one command-like fixture: the prompt's span directly, and through the widget. */
async function grammar(name, kind, phrases) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: chromiumArgs(join(dir, `${name}.${kind}.wav`)) });
  try {
    const page = await allowGestures(await browser.newPage());
    page.on('pageerror', (e) => console.error(`[grammar ${name}.${kind}] page error: ${e.message}`));
    await page.goto(`${server.url}/dist/voice-assistant.js`);
    const [a, b] = truth[name].promptMs.map((ms) => Math.round(ms * 16));
    const file = Array.from(pcm(join(dir, `${name}.${kind}.wav`)).subarray(a, b));
    return await page.evaluate(grammarInPage, { base: server.url, durationMs: truth[name].durationMs, phrases, file });
  } finally {
    await browser.close();
  }
}

async function pool(tasks, jobs) {
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}

// The command-like prompts through the local grammar recogniser, the grammar all of their phrases.
const commandNames = names.filter((n) => truth[n].command);
const phrases = commandNames.map((n) => truth[n].words);
const grammarColumn = () =>
  pool(commandNames.flatMap((name) => ['clean', 'noisy'].map((kind) => async () => {
    const r = await grammar(name, kind, phrases);
    console.log(`grammar ${name}.${kind}: file "${r.file}", widget "${r.widget}"${r.problems.length ? ` (${r.problems.join('; ')})` : ''}`);
    return { name, kind, ...r };
  })), JOBS);

function grammarSummary(runsAll) {
  const out = { prompts: commandNames.length, phrases };
  console.log(`\nLocal grammar recogniser (stt="local", command mode), ${commandNames.length} command-like prompts, grammar of their ${phrases.length} phrases:`);
  for (const kind of ['clean', 'noisy']) {
    const runs = runsAll.filter((g) => g.kind === kind);
    const score = (key) => wer(runs.map((g) => errors(truth[g.name].words, g[key])));
    const right = (key) => runs.filter((g) => g[key] === truth[g.name].words).length;
    const s = (out[kind] = { file: +score('file').toFixed(4), widget: +score('widget').toFixed(4), fileRight: right('file'), widgetRight: right('widget'), runs });
    console.log(`  ${kind}: file ${pct(s.file)} (${s.fileRight}/${runs.length} phrases right), through the widget ${pct(s.widget)} (${s.widgetRight}/${runs.length}); widget/file ${ratio(s.widget, s.file)}`);
  }
  return out;
}

// --grammar-only: just this column, added to the last report (the other columns take ~20 minutes).
if (process.argv.includes('--grammar-only')) {
  const summary = grammarSummary(await grammarColumn());
  await server.close();
  const file = join(root, 'bench/reports/wer.json');
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { summary: {} };
  report.summary.grammar = { ...summary, date: new Date().toISOString(), load: (await import('node:os')).loadavg() };
  writeFileSync(file, JSON.stringify(report, null, 2));
  process.exit(0);
}

const t0 = Date.now();
// --reuse-direct: the file columns from the last run (they do not depend on the widget), when
// they cover the same prompts; bench/reports/wer-direct.tmp.
const cache = join(root, 'bench/reports/wer-direct.tmp');
const cached = process.argv.includes('--reuse-direct') && existsSync(cache) ? JSON.parse(readFileSync(cache, 'utf8')) : {};
const files = names.every((n) => cached[n]) ? cached : await direct();
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(cache, JSON.stringify(files));
console.log(`direct: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
const tasks = [];
for (const [i, name] of names.entries()) for (const kind of ['clean', 'noisy']) {
  const variants = i < STAGES ? [DEFAULT, ...STAGE_VARIANTS] : [DEFAULT];
  tasks.push(async () => {
    const runs = await throughWidget(name, kind, variants);
    console.log(`widget ${name}.${kind}: "${runs.default.text}"`);
    return { name, kind, runs };
  });
}
const widget = await pool(tasks, JOBS);
const grammarRuns = await grammarColumn();
await server.close();

// Per-prompt rows and the summary.
const rows = names.map((name) => {
  const t = truth[name];
  const row = { name, words: t.words, command: t.command };
  for (const kind of ['clean', 'noisy']) {
    const runs = widget.find((w) => w.name === name && w.kind === kind).runs;
    row[kind] = { ...files[name][kind], widget: runs.default ? { ...runs.default, ...errors(t.words, runs.default.text) } : undefined, stages: {} };
    for (const [v, r] of Object.entries(runs)) if (v !== 'default') row[kind].stages[v] = { ...r, ...errors(t.words, r.text) };
  }
  return row;
});

const col = (kind, key) => wer(rows.map((r) => (key === 'widget' ? r[kind].widget : r[kind][key])));
console.log(`\n${pad('prompt', 30)}${pad('words', 6)}${pad('clean file/padded/widget', 26)}${pad('noisy file/padded/widget', 26)}widget heard (clean | noisy)`);
for (const r of rows) {
  const e = (k) => `${r[k].file.errors}/${r[k].padded.errors}/${r[k].widget.errors}`;
  console.log(`${pad(r.name + (r.command ? ' *' : ''), 30)}${pad(r.clean.file.words, 6)}${pad(e('clean'), 26)}${pad(e('noisy'), 26)}${r.clean.widget.text} | ${r.noisy.widget.text}`);
}
const summary = {};
for (const kind of ['clean', 'noisy']) {
  const s = (summary[kind] = { file: col(kind, 'file'), padded: col(kind, 'padded'), widget: col(kind, 'widget') });
  s.ratio = +(s.widget / (s.file || 1e-9)).toFixed(3);
}
const words = rows.reduce((n, r) => n + r.clean.file.words, 0);
console.log(`\n${rows.length} prompts, ${words} words; WER of PocketSphinx (reference server):`);
for (const kind of ['clean', 'noisy']) {
  const s = summary[kind];
  const budget = kind === 'clean' ? 1.05 : 1;
  console.log(`  ${kind}: file ${pct(s.file)}, padded file ${pct(s.padded)}, through the widget ${pct(s.widget)}; widget/file ${ratio(s.widget, s.file)} (budget <= ${budget}: ${s.widget <= budget * s.file + 1e-9 ? 'within' : 'OVER'})`);
}
if (grammarRuns.length) summary.grammar = grammarSummary(grammarRuns);
const staged = rows.filter((r) => Object.keys(r.clean.stages).length);
if (staged.length) {
  summary.stages = { prompts: staged.length };
  console.log(`\nStages on ${staged.length} prompts (WER clean / noisy; file ${pct(wer(staged.map((r) => r.clean.file)))} / ${pct(wer(staged.map((r) => r.noisy.file)))}):`);
  for (const v of ['default', ...STAGE_VARIANTS.map((s) => s.name)]) {
    const get = (kind) => wer(staged.map((r) => (v === 'default' ? r[kind].widget : r[kind].stages[v])));
    summary.stages[v] = { clean: +get('clean').toFixed(4), noisy: +get('noisy').toFixed(4) };
    console.log(`  ${pad(v, 20)} ${pad(pct(get('clean')), 8)} ${pct(get('noisy'))}`);
  }
}
console.log(`(${((Date.now() - t0) / 1000).toFixed(0)} s)`);
mkdirSync(join(root, 'bench/reports'), { recursive: true });
writeFileSync(join(root, 'bench/reports/wer.json'), JSON.stringify({ date: new Date().toISOString(), recogniser: process.env.WER_RECOGNISER ?? 'warm', load: (await import('node:os')).loadavg(), summary, rows }, null, 2));
