// PCM helpers of the realtime session: the protocol carries 16-bit mono PCM at 24 kHz; the
// recogniser wants 16 kHz.

export const PROTOCOL_RATE = 24000;
export const RECOGNISER_RATE = 16000;

/**
 * 24 kHz -> 16 kHz (3 input samples per 2 output samples), after a 3-tap low-pass
 * ([1 2 1] / 4, zero at 12 kHz) that keeps most of what lies above the new 8 kHz Nyquist out.
 * PocketSphinx's en-US model looks at 130 Hz - 6.8 kHz, where this filter loses under 4 dB.
 */
export function downsample24to16(pcm: Buffer): Buffer {
  const n = pcm.length >> 1;
  const src = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + n * 2));
  const outLen = Math.floor((n * 2) / 3);
  const out = Buffer.alloc(outLen * 2);
  const at = (i: number) => src[Math.min(n - 1, Math.max(0, i))]!;
  const smooth = (i: number) => (at(i - 1) + 2 * at(i) + at(i + 1)) / 4;
  for (let k = 0; k < outLen; k++) {
    const pos = (k * 3) / 2;
    const i = Math.floor(pos);
    const frac = pos - i;
    const v = frac === 0 ? smooth(i) : (smooth(i) + smooth(i + 1)) / 2;
    out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(v))), k * 2);
  }
  return out;
}

/** Milliseconds of 16-bit mono PCM at `rate`. */
export const pcmMs = (bytes: number, rate: number) => (bytes / 2 / rate) * 1000;

/** Splits a text into sentences (with their trailing space), so each can be spoken as it is ready. */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+|$)\s*/g) ?? []).filter((s) => s.trim());
}
