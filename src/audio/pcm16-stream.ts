/**
 * The realtime protocol's input audio: 16 kHz float frames (the capture worklet's) become 24 kHz
 * PCM16 little-endian, base64 (what `input_audio_buffer.append` carries). Runs in the VAD worker,
 * not on the main thread. Upsampling 2:3 by linear interpolation needs no anti-alias filter; the
 * previous frame's last sample carries over so frames join without a seam.
 */
export class Pcm16Stream {
  private last = 0;

  /** One frame (any length) -> base64 of 1.5x as many 16-bit samples. */
  push(frame: Float32Array): string {
    const n = Math.floor((frame.length * 3) / 2);
    const out = new Int16Array(n);
    for (let j = 0; j < n; j++) {
      // Output sample j sits at input position j * 2/3 - 1 (-1 is the previous frame's last).
      const pos = (j * 2) / 3 - 1;
      const i = Math.floor(pos);
      const frac = pos - i;
      const a = i < 0 ? this.last : frame[i]!;
      const b = frame[i + 1] ?? a;
      const v = a + (b - a) * frac;
      out[j] = Math.max(-32768, Math.min(32767, Math.round(v * 32767)));
    }
    this.last = frame[frame.length - 1] ?? this.last;
    const bytes = new Uint8Array(out.buffer);
    let s = '';
    for (let k = 0; k < bytes.length; k += 0x2000) s += String.fromCharCode(...bytes.subarray(k, k + 0x2000));
    return btoa(s);
  }

  reset(): void {
    this.last = 0;
  }
}
