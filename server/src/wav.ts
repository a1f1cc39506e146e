// Just enough RIFF/WAVE to validate uploads and find the PCM samples.

export interface WavInfo {
  /** 1 = integer PCM, 3 = IEEE float, 0xfffe = extensible (sub-format in `subFormat`). */
  format: number;
  subFormat: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** The sample bytes (the data chunk, clamped to what is really there). */
  data: Buffer;
}

export function isRiffWave(buf: Buffer): boolean {
  return buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WAVE';
}

/** Parses a WAV file; returns null if it is not one (or has no fmt/data chunk). */
export function parseWav(buf: Buffer): WavInfo | null {
  if (!isRiffWave(buf)) return null;
  let pos = 12;
  let fmt: Omit<WavInfo, 'data'> | null = null;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const start = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || start + 16 > buf.length) return null;
      const format = buf.readUInt16LE(start);
      fmt = {
        format,
        subFormat: format === 0xfffe && size >= 40 && start + 26 <= buf.length ? buf.readUInt16LE(start + 24) : format,
        channels: buf.readUInt16LE(start + 2),
        sampleRate: buf.readUInt32LE(start + 4),
        bitsPerSample: buf.readUInt16LE(start + 14),
      };
    } else if (id === 'data') {
      if (!fmt) return null;
      // Streamed WAVs (written to a pipe) may carry 0 or 0xffffffff here: take what is there.
      const end = size === 0 || size === 0xffffffff ? buf.length : Math.min(buf.length, start + size);
      return { ...fmt, data: buf.subarray(start, end) };
    }
    pos = start + size + (size % 2);
  }
  return null;
}

export function isPcm16kMono16(w: WavInfo): boolean {
  return w.subFormat === 1 && w.channels === 1 && w.sampleRate === 16000 && w.bitsPerSample === 16;
}

export function durationS(w: WavInfo): number {
  const frame = w.channels * Math.ceil(w.bitsPerSample / 8);
  return frame > 0 && w.sampleRate > 0 ? Math.floor(w.data.length / frame) / w.sampleRate : 0;
}

/** Wraps 16-bit mono PCM in a WAV header. */
export function pcm16ToWav(pcm: Buffer, sampleRate: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + pcm.length, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([h, pcm]);
}
