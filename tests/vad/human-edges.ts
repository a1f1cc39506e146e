// Helpers of the human-speech edge tests: does the utterance the VAD hands over hold the whole
// spoken span of a real recording (tests/fixtures/human/, built by scripts/human-fixtures.mjs)?
// Each utterance is located in the fixture by cross-correlating 4 ms RMS envelopes (the
// browser's processing changes the waveform and the level, not where the speech is), then
//   - the utterances together cover the ground-truth span [speech.startMs, speech.endMs]
//     (first and last 10 ms frame over -50 dBFS in the clean prompt): nothing cut;
//   - the first and last 100 ms of that span carry energy in the utterance as in the file,
//     each relative to the span's whole level, within `toleranceDb` (10 dB: auto gain control,
//     on by default, starts loud and settles, which moved these by up to 6.2 dB; a cut window
//     would be silence, 40 dB and more below).
import { expect } from '@esm-bundle/chai';
import { listen, wait } from './listen.js';

export interface HumanFixture {
  words: string;
  durationMs: number;
  speech: { startMs: number; endMs: number };
}

const RATE = 16000;
const HOP = 64; // 4 ms

async function load(name: string, kind: 'clean' | 'noisy') {
  const all = await (await fetch('/tests/fixtures/human/fixtures.json')).json();
  const truth = all[name] as HumanFixture;
  if (!truth) throw new Error(`no ground truth for ${name}: run node scripts/human-fixtures.mjs`);
  const bytes = await (await fetch(`/tests/fixtures/human/${name}.${kind}.wav`)).arrayBuffer();
  const pcm = new Int16Array(bytes, 44);
  return { truth, file: Float32Array.from(pcm, (v) => v / 32768) };
}

const envelope = (x: Float32Array) => {
  const out = new Float64Array(Math.floor(x.length / HOP));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = i * HOP; j < (i + 1) * HOP; j++) s += x[j] * x[j];
    out[i] = Math.sqrt(s / HOP);
  }
  return out;
};

/** The lag (in samples) where `part`'s envelope best matches `whole`'s (normalised correlation). */
export function locate(part: Float32Array, whole: Float32Array): number {
  const u = envelope(part), f = envelope(whole);
  const mu = u.reduce((a, b) => a + b, 0) / u.length;
  const du = u.map((v) => v - mu);
  const nu = Math.sqrt(du.reduce((a, b) => a + b * b, 0)) || 1;
  let best = -Infinity, lag = 0;
  for (let l = 0; l + u.length <= f.length; l++) {
    let mf = 0;
    for (let i = 0; i < u.length; i++) mf += f[l + i];
    mf /= u.length;
    let dot = 0, nf = 0;
    for (let i = 0; i < u.length; i++) {
      const d = f[l + i] - mf;
      dot += du[i] * d;
      nf += d * d;
    }
    const c = dot / (nu * (Math.sqrt(nf) || 1));
    if (c > best) (best = c), (lag = l);
  }
  return lag * HOP;
}

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / (x.length || 1));
const db = (r: number) => 20 * Math.log10(r + 1e-9);

/**
 * Listens to the fixture the browser was launched with (default attributes but a probe STT)
 * and checks the handed-over audio against the recording.
 */
export async function expectWholeSpan(name: string, kind: 'clean' | 'noisy', toleranceDb = 10, attrs: Record<string, string> = {}) {
  const { truth, file } = await load(name, kind);
  const heard = await listen(attrs, truth.durationMs + 600);
  await wait(100);
  expect(heard.errors).to.deep.equal([]);
  expect(heard.utterances.length, 'utterances handed over').to.be.at.least(1);
  // Where each utterance lies in the file, in samples; joined into one covered range.
  const placed = heard.utterances.map((u) => ({ audio: u, at: locate(u, file) }));
  const from = Math.min(...placed.map((p) => p.at));
  const to = Math.max(...placed.map((p) => p.at + p.audio.length));
  const s = Math.round((truth.speech.startMs * RATE) / 1000), e = Math.round((truth.speech.endMs * RATE) / 1000);
  // The utterance as the recogniser gets it, on the file's timeline (zeros where nothing was handed over).
  const got = new Float32Array(file.length);
  for (const p of placed) got.set(p.audio.subarray(0, Math.max(0, file.length - p.at)), p.at);
  const w = RATE / 10;
  const level = (x: Float32Array, a: number, b: number) => db(rms(x.subarray(a, b))) - db(rms(x.subarray(s, e)));
  const m = {
    startMarginMs: Math.round(((s - from) * 1000) / RATE),
    endMarginMs: Math.round(((to - e) * 1000) / RATE),
    first100: { file: level(file, s, s + w), utterance: level(got, s, s + w) },
    last100: { file: level(file, e - w, e), utterance: level(got, e - w, e) },
  };
  const f = (x: number) => x.toFixed(1);
  console.log(`[human] ${name}.${kind}: ${heard.utterances.length} utterance(s) covering ${Math.round((from * 1000) / RATE)}-${Math.round((to * 1000) / RATE)} ms, speech ${truth.speech.startMs}-${truth.speech.endMs} ms (margins ${m.startMarginMs} / ${m.endMarginMs} ms); first 100 ms ${f(m.first100.utterance)} dB (file ${f(m.first100.file)}), last 100 ms ${f(m.last100.utterance)} dB (file ${f(m.last100.file)}) re the span`);
  // 10 ms: the fake microphone's own jitter (scripts/make-fixtures.sh), at 4 ms envelope resolution.
  expect(m.startMarginMs, 'audio before the first spoken frame').to.be.at.least(-10);
  expect(m.endMarginMs, 'audio after the last spoken frame').to.be.at.least(-10);
  expect(Math.abs(m.first100.utterance - m.first100.file), 'first 100 ms of speech: energy as in the file').to.be.at.most(toleranceDb);
  expect(Math.abs(m.last100.utterance - m.last100.file), 'last 100 ms of speech: energy as in the file').to.be.at.most(toleranceDb);
  return m;
}
