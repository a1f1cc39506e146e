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

/**
 * `downsample24to16` for audio that arrives in pieces: each `push` returns the 16 kHz samples
 * the audio so far determines (the filter needs the next input samples), `flush` the rest; the
 * pieces joined equal `downsample24to16` of the whole.
 */
export class Downsampler24to16 {
  private input = new Int16Array(0);
  /** Global index of input[0]; the next output sample's index. */
  private base = 0;
  private next = 0;
  private total = 0;

  push(pcm: Buffer): Buffer {
    const add = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + (pcm.length & ~1)));
    const joined = new Int16Array(this.input.length + add.length);
    joined.set(this.input);
    joined.set(add, this.input.length);
    this.input = joined;
    this.total += add.length;
    // Output k reads inputs up to floor(1.5k) + 2: wait for them.
    return this.emit((k) => Math.floor((k * 3) / 2) + 2 < this.total);
  }

  flush(): Buffer {
    return this.emit((k) => k < Math.floor((this.total * 2) / 3));
  }

  private emit(ready: (k: number) => boolean): Buffer {
    const out: number[] = [];
    const n = this.total;
    const at = (i: number) => this.input[Math.min(n - 1, Math.max(0, i)) - this.base]!;
    const smooth = (i: number) => (at(i - 1) + 2 * at(i) + at(i + 1)) / 4;
    for (; ready(this.next) && this.next < Math.floor((n * 2) / 3); this.next++) {
      const pos = (this.next * 3) / 2;
      const i = Math.floor(pos);
      const v = pos === i ? smooth(i) : (smooth(i) + smooth(i + 1)) / 2;
      out.push(Math.max(-32768, Math.min(32767, Math.round(v))));
    }
    // Keep what the next outputs may still read (from one sample before the next one's position).
    const keepFrom = Math.max(0, Math.floor((this.next * 3) / 2) - 1);
    if (keepFrom > this.base) {
      this.input = this.input.slice(keepFrom - this.base);
      this.base = keepFrom;
    }
    const buf = Buffer.alloc(out.length * 2);
    out.forEach((v, k) => buf.writeInt16LE(v, k * 2));
    return buf;
  }
}

/** Milliseconds of 16-bit mono PCM at `rate`. */
export const pcmMs = (bytes: number, rate: number) => (bytes / 2 / rate) * 1000;

/** Splits a text into sentences (with their trailing space), so each can be spoken as it is ready. */
export function sentences(text: string): string[] {
  return (text.match(/[^.!?]+(?:[.!?]+|$)\s*/g) ?? []).filter((s) => s.trim());
}
