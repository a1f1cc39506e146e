// Helpers of the VAD end-to-end tests: they load the BUILT element from the loopback CDN origin
// (dist/, so the real worklet, worker, wasm and model paths run, cross-origin), listen to the
// fake microphone for the fixture's length and record what the element reported.
import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN } from '../helpers/origins.js';
import { gesture } from '../helpers/gesture.js';

export interface Segment {
  text?: string;
  startMs: number;
  endMs: number;
}
export interface Fixture {
  segments: Segment[];
  durationMs?: number;
}

export interface Heard {
  el: HTMLElement & { start(): Promise<void>; stop(): void; state: string };
  starts: { at: number; firedMs: number }[];
  ends: { at: number; durationMs: number; firedMs: number }[];
  states: string[];
  errors: { code: string; message: string }[];
  /** The utterances' 16 kHz samples, as the next stage (STT) received them. */
  utterances: Float32Array[];
  /** Speculative transcriptions dropped because the user went on speaking. */
  speculative?: number;
  /** performance.now() when start() was called. */
  startedAt: number;
  /** How long start() took (chunk, model, microphone). */
  listeningAfterMs?: number;
  /** What the VAD worker measured (frames, inference time, queue). */
  stats?: { frames: number; audioMs: number; inferenceMs: number; dropped: number; maxQueue: number };
}

interface Session {
  capture: { openedAt: number };
  vadStats(): Promise<Heard['stats']> | undefined;
}

export const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function fixture(name: string): Promise<Fixture> {
  const all = await (await fetch('/tests/fixtures/fixtures.json')).json();
  const f = all[name];
  if (!f) throw new Error(`no ground truth for ${name} in tests/fixtures/fixtures.json`);
  return f;
}

/**
 * Audio the probe STT engine was handed, in order, with the call's signal: a speculative
 * transcription (started in a pause, DESIGN.md section 2) is aborted when the user goes on,
 * and its audio is then part of the utterance handed on after it.
 */
export const probeAudio: { audio: Float32Array; signal: AbortSignal }[] = [];

export async function defineBuilt() {
  if (customElements.get('voice-assistant')) return;
  await import(/* @vite-ignore */ `${CDN_ORIGIN}/voice-assistant.js`);
  // A speech-to-text engine that only records what it is given: the VAD tests need no STT.
  const ctor = customElements.get('voice-assistant') as unknown as { registerEngine(name: string, f: unknown): void };
  ctor.registerEngine('vad-probe', () => ({
    transcribe: async (r: { audio: Float32Array; signal: AbortSignal }) => {
      probeAudio.push({ audio: r.audio, signal: r.signal });
      return { text: '' };
    },
  }));
}

/**
 * Mounts an element in dictation mode with the probe STT, starts listening (the fake
 * microphone restarts its file on every getUserMedia), waits `ms`, stops, and returns what
 * was heard.
 */
export async function listen(attrs: Record<string, string>, ms: number): Promise<Heard> {
  await defineBuilt();
  const el = document.createElement('voice-assistant') as Heard['el'];
  for (const [k, v] of Object.entries({ preload: 'none', mode: 'dictation', stt: 'vad-probe', tts: 'none', ...attrs })) el.setAttribute(k, v);
  document.body.append(el);
  const heard: Heard = { el, starts: [], ends: [], states: [], errors: [], utterances: [], startedAt: performance.now() };
  const since = () => performance.now() - heard.startedAt;
  el.addEventListener('voice-speech-start', (e) => heard.starts.push({ ...(e as CustomEvent).detail, firedMs: since() }));
  el.addEventListener('voice-speech-end', (e) => heard.ends.push({ ...(e as CustomEvent).detail, firedMs: since() }));
  el.addEventListener('voice-state', (e) => heard.states.push((e as CustomEvent).detail.state));
  el.addEventListener('voice-error', (e) => heard.errors.push((e as CustomEvent).detail));
  probeAudio.length = 0;
  await gesture();
  await el.start();
  // The fake microphone's file starts when getUserMedia resolves: wait `ms` from then.
  const session = (el as unknown as { session: Session }).session;
  heard.listeningAfterMs = since();
  await wait(ms - (performance.now() - session.capture.openedAt));
  // On a loaded machine the VAD worker runs behind real time: let it hear what was played
  // (up to 10 s more) and hand the last utterance on, rather than stop it mid-file.
  for (let i = 0; i < 50 && ((await session.vadStats())?.audioMs ?? Infinity) < ms - 700; i++) await wait(200);
  if (performance.now() - session.capture.openedAt > ms + 300) await wait(300);
  heard.stats = await session.vadStats();
  heard.utterances = probeAudio.filter((p) => !p.signal.aborted).map((p) => p.audio);
  heard.speculative = probeAudio.length - heard.utterances.length;
  el.stop();
  return heard;
}

/** Checks each detected segment against the ground truth: within `tolerance` ms at both ends. */
export function expectSegments(heard: Heard, truth: Segment[], tolerance = 150) {
  expect(heard.errors).to.deep.equal([]);
  expect(heard.ends.length, 'segments').to.equal(truth.length);
  expect(heard.starts.length, 'speech starts').to.equal(truth.length);
  heard.ends.forEach((e, i) => {
    expect(e.at - e.durationMs, `start #${i + 1} matches its voice-speech-start`).to.equal(heard.starts[i].at);
    expect(Math.abs(e.at - e.durationMs - truth[i].startMs), `start #${i + 1} offset`).to.be.at.most(tolerance);
    expect(Math.abs(e.at - truth[i].endMs), `end #${i + 1} offset`).to.be.at.most(tolerance);
  });
}

/** Offsets of detected against ground-truth times, printed so a run shows them. */
export function report(name: string, heard: Heard, truth: Segment[]) {
  const rows = heard.ends.map((e, i) => {
    const t = truth[i];
    const start = e.at - e.durationMs;
    return t ? `#${i + 1} start ${fmt(start - t.startMs)} ms, end ${fmt(e.at - t.endMs)} ms (fired ${fmt(heard.starts[i]?.firedMs - t.startMs)} / ${fmt(e.firedMs - t.endMs)} ms after truth)` : `#${i + 1} extra segment ${start}-${e.at}`;
  });
  const st = heard.stats;
  const load = `listening after ${Math.round(heard.listeningAfterMs ?? 0)} ms; ${st?.frames} frames, RTF ${st ? (st.inferenceMs / st.audioMs).toFixed(4) : '?'}, max queue ${st?.maxQueue}, dropped ${st?.dropped}`;
  console.log(`[vad] ${name}: ${heard.ends.length} segment(s), truth ${truth.length}; ${rows.join('; ') || 'none'}; ${heard.utterances.length} handed on, ${heard.speculative ?? 0} speculative dropped (${load})`);
}

const fmt = (x: number) => (x >= 0 ? '+' : '') + Math.round(x);

/** Listens to a fixture with no speech in it and asserts that the VAD heard none over the whole file. */
export async function expectNoSegment(name: string) {
  const truth = await fixture(name);
  const heard = await listen({}, truth.durationMs! + 600);
  report(name.replace(/\.wav$/, ''), heard, truth.segments);
  expect(heard.errors).to.deep.equal([]);
  expect(heard.starts).to.deep.equal([]);
  expect(heard.ends).to.deep.equal([]);
  expect(heard.utterances).to.deep.equal([]);
  expect(heard.states).to.deep.equal(['loading', 'listening', 'idle']);
  // The VAD did run over the whole file (it is not silent because it heard nothing).
  expect(heard.stats!.audioMs).to.be.at.least(truth.durationMs! - 200);
}
