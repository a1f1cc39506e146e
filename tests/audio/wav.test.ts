import { expect } from '@esm-bundle/chai';
import { decodeWav, encodeWav } from '../../src/audio/wav.js';

const sine = (n: number, rate: number, hz = 440, amp = 0.8) =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

/** Builds a WAV by hand: format 1 (PCM) or 3 (float), with an extra chunk before the data. */
function handmade(format: 1 | 3, bits: number, channels: number, frames: number[][], rate = 22050): ArrayBuffer {
  const width = bits / 8;
  const dataBytes = frames.length * channels * width;
  const list = 'LIST', listBody = 4;
  const buf = new ArrayBuffer(12 + 24 + 8 + listBody + 8 + dataBytes);
  const v = new DataView(buf);
  const ascii = (at: number, s: string) => [...s].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  ascii(0, 'RIFF');
  v.setUint32(4, buf.byteLength - 8, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, channels, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * channels * width, true);
  v.setUint16(32, channels * width, true);
  v.setUint16(34, bits, true);
  ascii(36, list);
  v.setUint32(40, listBody, true);
  ascii(44, 'INFO');
  ascii(48, 'data');
  v.setUint32(52, dataBytes, true);
  frames.forEach((frame, f) =>
    frame.forEach((s, c) => {
      const at = 56 + (f * channels + c) * width;
      if (format === 3) v.setFloat32(at, s, true);
      else if (bits === 16) v.setInt16(at, Math.round(s * 32767), true);
      else if (bits === 24) {
        const x = Math.round(s * 8388607);
        v.setUint8(at, x & 0xff);
        v.setUint8(at + 1, (x >> 8) & 0xff);
        v.setUint8(at + 2, (x >> 16) & 0xff);
      }
    }),
  );
  return buf;
}

describe('wav', () => {
  it('round-trips 16 kHz mono audio through 16-bit PCM within one quantisation step', () => {
    const input = sine(16000, 16000);
    input[10] = 1;
    input[11] = -1;
    input[12] = 1.5; // clipped
    const wav = encodeWav(input, 16000);
    expect(wav.byteLength).to.equal(44 + 32000);
    const out = decodeWav(wav);
    expect(out.sampleRate).to.equal(16000);
    expect(out.channels).to.equal(1);
    expect(out.samples.length).to.equal(input.length);
    let worst = 0;
    for (let i = 0; i < input.length; i++) worst = Math.max(worst, Math.abs(Math.max(-1, Math.min(1, input[i]!)) - out.samples[i]!));
    expect(worst).to.be.below(1 / 16384);
    expect(out.samples[11]).to.equal(-1);
  });

  it('writes a standard header that the browser itself can decode', async () => {
    const wav = encodeWav(sine(8000, 16000), 16000);
    const ctx = new OfflineAudioContext(1, 16000, 16000);
    const decoded = await ctx.decodeAudioData(wav.slice(0));
    expect(decoded.sampleRate).to.equal(16000);
    expect(decoded.length).to.equal(8000);
  });

  it('decodes 16-bit stereo (mixed to mono), 24-bit and float WAVs and skips unknown chunks', () => {
    const stereo = decodeWav(handmade(1, 16, 2, [[0.5, -0.5], [0.5, 0.25]]));
    expect(stereo.channels).to.equal(2);
    expect(stereo.sampleRate).to.equal(22050);
    expect([...stereo.samples].map((x) => Math.round(x * 1000) / 1000)).to.deep.equal([0, 0.375]);
    const pcm24 = decodeWav(handmade(1, 24, 1, [[0.5], [-0.25]]));
    expect(Math.abs(pcm24.samples[0]! - 0.5)).to.be.below(1e-6);
    expect(Math.abs(pcm24.samples[1]! + 0.25)).to.be.below(1e-6);
    const float = decodeWav(handmade(3, 32, 1, [[0.125], [-0.75]]));
    expect([...float.samples]).to.deep.equal([0.125, -0.75]);
  });

  it('reads a streamed WAV whose data size is unknown (0) to the end of the file', () => {
    const wav = encodeWav(sine(100, 16000), 16000);
    new DataView(wav).setUint32(40, 0, true);
    expect(decodeWav(wav).samples.length).to.equal(100);
  });

  it('refuses what is not a WAV', () => {
    expect(() => decodeWav(new TextEncoder().encode('{"error":"nope"}'))).to.throw(/RIFF/);
    const wav = handmade(1, 16, 1, [[0]]);
    new DataView(wav).setUint16(20, 2, true); // ADPCM
    expect(() => decodeWav(wav)).to.throw(/Unsupported WAV format 2/);
  });
});
