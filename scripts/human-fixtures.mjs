// Builds fake-microphone fixtures from real human speech: the Asterisk prompts recorded by
// Allison Smith (Debian packages asterisk-core-sounds-en-g722 for the 16 kHz G.722 audio and
// asterisk-core-sounds-en for the transcripts, core-sounds-en.txt; CC-BY-SA-3.0), decoded
// with ffmpeg. Writes tests/fixtures/human/ (not committed: built by scripts/test.sh and
// bench/wer.mjs, cached by a stamp of this script and the package versions):
//   <name>.clean.wav  1.5 s of digital silence, the prompt as packaged, 2.0 s of silence
//   <name>.noisy.wav  the same plus pink noise at 10 dB SNR (speech RMS over its voiced 10 ms
//                     frames vs noise RMS) over the whole file, faded out in its last 0.3 s:
//                     the fake microphone repeats the file's last block after its end
//                     (ENVIRONMENT.md), so every fixture ends in digital silence
//   fixtures.json     per fixture: text, words, speech start/end (first/last 10 ms frame over
//                     -50 dBFS in the clean prompt), duration, command (short prompts that the
//                     bench also runs through the local grammar recogniser)
// Deterministic: fixed prompt list rule, seeded noise, no dither; a rerun writes identical bytes.
// Usage: node scripts/human-fixtures.mjs [--force]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { words } from './human-fixtures-words.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const OUT = join(root, 'tests/fixtures/human');
const SOUNDS = '/usr/share/asterisk/sounds/en_US_f_Allison';
const TRANSCRIPTS = '/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz';
const DICT = '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict';
const PACKAGES = ['asterisk-core-sounds-en', 'asterisk-core-sounds-en-g722', 'ffmpeg', 'pocketsphinx-en-us'];
const RATE = 16000;
const LEAD_S = 1.5;
const TRAIL_S = 2.0;
const SNR_DB = 10;
const FADE_S = 0.3;
/** Sentences (4-12 words, every word in PocketSphinx's dictionary) taken, every STRIDE-th in name order, and short command-like prompts (2-3 words). */
const SENTENCES = 30;
const COMMANDS = 8;

const version = (p) => spawnSync('dpkg-query', ['-W', '-f=${Version}', p], { encoding: 'utf8' }).stdout.trim();

function install() {
  const missing = PACKAGES.filter((p) => !spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' }).stdout.includes('install ok installed'));
  if (!missing.length) return;
  const r = spawnSync('bash', [join(root, 'scripts/install-deps.sh'), ...missing], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not install ${missing.join(' ')} (run as root: apt-get install -y ${missing.join(' ')})`);
}


/** The prompts: name -> transcript, for audio files that exist and plain spoken text. */
function prompts() {
  const dict = new Set(readFileSync(DICT, 'utf8').split('\n').map((l) => l.split(' ')[0]));
  const out = [];
  for (const line of gunzipSync(readFileSync(TRANSCRIPTS)).toString('utf8').split('\n')) {
    const m = line.match(/^([a-z0-9_-]+):\s*(.+?)\s*$/i);
    if (!m || /[[\]()<>0-9]|\.\.\./.test(m[2]) || !existsSync(`${SOUNDS}/${m[1]}.g722`)) continue;
    const w = words(m[2]);
    // Words the recogniser's dictionary lacks (product names, spellings) would be errors for every path.
    if (w.some((x) => !dict.has(x))) continue;
    out.push({ name: m[1], text: m[2], n: w.length });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

function choose(all) {
  const long = all.filter((p) => p.n >= 4 && p.n <= 12);
  const stride = Math.max(1, Math.floor(long.length / SENTENCES));
  const sentences = long.filter((_, i) => i % stride === 0).slice(0, SENTENCES);
  const short = all.filter((p) => p.n >= 2 && p.n <= 3 && !sentences.includes(p));
  const cstride = Math.max(1, Math.floor(short.length / COMMANDS));
  const commands = short.filter((_, i) => i % cstride === 0).slice(0, COMMANDS).map((p) => ({ ...p, command: true }));
  return [...sentences, ...commands];
}

function decode(name) {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'g722', '-i', `${SOUNDS}/${name}.g722`, '-f', 's16le', '-ac', '1', '-ar', String(RATE), '-'], { maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${name}.g722: ${r.stderr}`);
  return new Int16Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length / 2).slice();
}

const FRAME = RATE / 100;
function frameRms(x) {
  const out = [];
  for (let i = 0; i + FRAME <= x.length; i += FRAME) {
    let s = 0;
    for (let j = i; j < i + FRAME; j++) s += (x[j] / 32768) ** 2;
    out.push(Math.sqrt(s / FRAME));
  }
  return out;
}
const db = (r) => 20 * Math.log10(r + 1e-12);

/** First and last 10 ms frame over -50 dBFS, and the RMS over frames within 30 dB of the loudest. */
function speech(x) {
  const rms = frameRms(x);
  const on = rms.map((r) => db(r) > -50);
  const first = on.indexOf(true), last = on.lastIndexOf(true);
  const peak = Math.max(...rms);
  const voiced = rms.filter((r) => db(r) > db(peak) - 30);
  const level = Math.sqrt(voiced.reduce((s, r) => s + r * r, 0) / voiced.length);
  return { startSample: first * FRAME, endSample: (last + 1) * FRAME, level };
}

/** Seeded pink noise (Paul Kellet's filter on xorshift white noise), unit RMS. */
function pink(n, seed) {
  let s = seed >>> 0 || 1;
  const white = () => ((s ^= s << 13), (s ^= s >>> 17), (s ^= s << 5), (s >>> 0) / 2 ** 31 - 1);
  const out = new Float64Array(n);
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0, sum = 0;
  for (let i = 0; i < n; i++) {
    const w = white();
    b0 = 0.99886 * b0 + w * 0.0555179; b1 = 0.99332 * b1 + w * 0.0750759; b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856; b4 = 0.55 * b4 + w * 0.5329522; b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
    b6 = w * 0.115926;
    sum += out[i] * out[i];
  }
  const k = 1 / Math.sqrt(sum / n);
  for (let i = 0; i < n; i++) out[i] *= k;
  return out;
}

function wav(samples) {
  const b = Buffer.alloc(44 + samples.length * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + samples.length * 2, 4); b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(RATE, 24);
  b.writeUInt32LE(RATE * 2, 28); b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34);
  b.write('data', 36); b.writeUInt32LE(samples.length * 2, 40);
  for (let i = 0; i < samples.length; i++) b.writeInt16LE(samples[i], 44 + 2 * i);
  return b;
}

const clip = (v) => Math.max(-32768, Math.min(32767, Math.round(v)));

function build(p, seed) {
  const x = decode(p.name);
  const lead = LEAD_S * RATE, trail = TRAIL_S * RATE;
  const clean = new Int16Array(lead + x.length + trail);
  clean.set(x, lead);
  const s = speech(x);
  const noise = pink(clean.length, seed);
  const gain = (s.level * 32768) / 10 ** (SNR_DB / 20);
  const fade = FADE_S * RATE;
  const noisy = new Int16Array(clean.length);
  for (let i = 0; i < clean.length; i++) {
    const f = Math.min(1, Math.max(0, (clean.length - fade / 2 - i) / (fade / 2)));
    noisy[i] = clip(clean[i] + gain * noise[i] * f);
  }
  writeFileSync(join(OUT, `${p.name}.clean.wav`), wav(clean));
  writeFileSync(join(OUT, `${p.name}.noisy.wav`), wav(noisy));
  const ms = (n) => Math.round((n * 1000) / RATE);
  return {
    text: p.text,
    words: words(p.text).join(' '),
    command: !!p.command,
    sampleRate: RATE,
    durationMs: ms(clean.length),
    promptMs: [ms(lead), ms(lead + x.length)],
    speech: { startMs: ms(lead + s.startSample), endMs: ms(lead + s.endSample) },
    speechDbfs: +db(s.level).toFixed(1),
    noiseDbfs: +db(gain / 32768).toFixed(1),
  };
}

const force = process.argv.includes('--force');
install();
const stamp = createHash('sha256').update(readFileSync(new URL(import.meta.url))).update(readFileSync(new URL('./human-fixtures-words.mjs', import.meta.url))).update(PACKAGES.map(version).join()).digest('hex').slice(0, 16);
const stampFile = join(OUT, '.stamp');
if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === stamp && existsSync(join(OUT, 'fixtures.json'))) {
  console.log(`human fixtures up to date (${OUT})`);
} else {
  mkdirSync(OUT, { recursive: true });
  for (const f of readdirSync(OUT)) if (f.endsWith('.wav')) rmSync(join(OUT, f));
  const chosen = choose(prompts());
  const truth = {};
  chosen.forEach((p, i) => (truth[p.name] = build(p, 0x9e3779b9 ^ (i + 1))));
  writeFileSync(join(OUT, 'fixtures.json'), JSON.stringify(truth, null, 2) + '\n');
  writeFileSync(stampFile, stamp + '\n');
  console.log(`human fixtures: ${chosen.length} prompts (${chosen.filter((p) => p.command).length} command-like), clean and noisy, in ${OUT}`);
}
