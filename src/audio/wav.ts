/** Mono or multi-channel audio decoded from a WAV file, channels mixed down to mono. */
export interface DecodedWav {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** Channels in the file (the samples are already mixed to mono). */
  readonly channels: number;
  /** The header promised more audio than the file holds (not a streaming placeholder size). */
  readonly truncated?: boolean;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;

/** Encodes mono samples in [-1, 1] as a 16-bit PCM WAV file (what `/audio/transcriptions` takes). */
export function encodeWav(samples: Float32Array, sampleRate: number): ArrayBuffer {
  const buffer = new ArrayBuffer(44 + samples.length * 2);
  const v = new DataView(buffer);
  const ascii = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, FORMAT_PCM, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true);
  v.setUint16(32, 2, true);
  v.setUint16(34, 16, true);
  ascii(36, 'data');
  v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    // Asymmetric scale so that -1 and 1 both map to the ends of the int16 range.
    v.setInt16(44 + i * 2, s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff), true);
  }
  return buffer;
}

/**
 * Decodes a WAV file: PCM 8/16/24/32-bit or IEEE float 32/64, any channel count (mixed to
 * mono). Unknown chunks are skipped; a data size of 0 or past the end (streamed WAVs, as
 * Flite writes to a pipe) means "to the end of the file". Throws on anything else.
 */
export function decodeWav(input: ArrayBuffer | ArrayBufferView): DecodedWav {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('Not a RIFF/WAVE file.');
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    let size = v.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = v.getUint16(body, true);
      channels = v.getUint16(body + 2, true);
      sampleRate = v.getUint32(body + 4, true);
      bits = v.getUint16(body + 14, true);
      if (format === FORMAT_EXTENSIBLE && size >= 40) format = v.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!channels) throw new Error('WAV data chunk before its fmt chunk.');
      // Streaming writers put 0, 0xFFFFFFFF or another huge value (near 2^31) in the size fields.
      const riff = v.getUint32(4, true);
      const placeholder = size === 0 || size >= 0x7fff0000 || riff === 0 || riff >= 0x7fff0000;
      const truncated = !placeholder && body + size > bytes.length;
      if (placeholder || truncated) size = bytes.length - body;
      return { samples: toMono(v, body, size, format, bits, channels), sampleRate, channels, ...(truncated ? { truncated } : {}) };
    }
    at = body + size + (size & 1);
  }
  throw new Error('WAV file without a data chunk.');
}

function toMono(v: DataView, at: number, size: number, format: number, bits: number, channels: number): Float32Array {
  const width = bits / 8;
  const read = reader(v, format, bits);
  const frames = Math.floor(size / (width * channels));
  const out = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(at + (f * channels + c) * width);
    out[f] = sum / channels;
  }
  return out;
}

function reader(v: DataView, format: number, bits: number): (at: number) => number {
  if (format === FORMAT_FLOAT && bits === 32) return (at) => v.getFloat32(at, true);
  if (format === FORMAT_FLOAT && bits === 64) return (at) => v.getFloat64(at, true);
  if (format !== FORMAT_PCM) throw new Error(`Unsupported WAV format ${format} (${bits}-bit).`);
  if (bits === 8) return (at) => (v.getUint8(at) - 128) / 128;
  if (bits === 16) return (at) => v.getInt16(at, true) / 32768;
  if (bits === 24) return (at) => ((v.getUint8(at) | (v.getUint8(at + 1) << 8) | (v.getInt8(at + 2) << 16)) / 8388608);
  if (bits === 32) return (at) => v.getInt32(at, true) / 2147483648;
  throw new Error(`Unsupported PCM sample size ${bits} bits.`);
}
