// Leading and trailing silence cut from 16-bit mono PCM before recognition: PocketSphinx does worse
// with a long silent lead-in ("what type shop gay" for a clip it gets right once trimmed).
// Deterministic (no randomness, no dither); a short margin of the quiet is kept on both sides.

/** 10 ms frames whose RMS is below this (about -46 dBFS) count as silence. */
const SILENCE_RMS = 160;
const MARGIN_S = 0.25;

export interface Trimmed {
  pcm: Buffer;
  /** Where the kept audio starts and ends in the original, in seconds. */
  start: number;
  end: number;
}

export function trimSilence(pcm: Buffer, rate: number): Trimmed {
  const samples = Math.floor(pcm.length / 2);
  const frame = Math.max(1, Math.round(rate / 100));
  const loud = (f: number) => {
    let sum = 0;
    const end = Math.min(samples, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) {
      const v = pcm.readInt16LE(i * 2);
      sum += v * v;
    }
    return Math.sqrt(sum / Math.max(1, end - f * frame)) >= SILENCE_RMS;
  };
  const frames = Math.ceil(samples / frame);
  let first = 0;
  while (first < frames && !loud(first)) first++;
  const whole = { pcm, start: 0, end: samples / rate };
  if (first === frames) return whole; // all quiet: let the recogniser say so
  let last = frames - 1;
  while (last > first && !loud(last)) last--;
  const margin = Math.round(MARGIN_S * rate);
  const from = Math.max(0, first * frame - margin);
  const to = Math.min(samples, (last + 1) * frame + margin);
  if (from === 0 && to === samples) return whole;
  return { pcm: pcm.subarray(from * 2, to * 2), start: from / rate, end: to / rate };
}
