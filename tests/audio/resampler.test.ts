import { expect } from '@esm-bundle/chai';
import { Resampler } from '../../src/audio/resampler.js';

/** Amplitude of the `hz` component of `x` at `rate` (a single DFT bin, Hann-windowed). */
function amplitudeAt(x: Float32Array, rate: number, hz: number) {
  let re = 0;
  let im = 0;
  let wsum = 0;
  for (let n = 0; n < x.length; n++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (x.length - 1));
    re += w * x[n] * Math.cos((2 * Math.PI * hz * n) / rate);
    im -= w * x[n] * Math.sin((2 * Math.PI * hz * n) / rate);
    wsum += w;
  }
  return (2 * Math.hypot(re, im)) / wsum;
}

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);
const db = (ratio: number) => 20 * Math.log10(ratio);

/** Frequency from rising zero crossings (linear interpolation between samples). */
function zeroCrossingHz(x: Float32Array, rate: number) {
  const crossings: number[] = [];
  for (let n = 1; n < x.length; n++) if (x[n - 1] < 0 && x[n] >= 0) crossings.push(n - 1 + -x[n - 1] / (x[n] - x[n - 1]));
  return ((crossings.length - 1) * rate) / (crossings.at(-1)! - crossings[0]);
}

/** Plays an oscillator through the capture worklet in an OfflineAudioContext; returns the 16 kHz output. */
async function throughWorklet(rate: number, hz: number, amplitude = 0.5, seconds = 1.5): Promise<Float32Array> {
  const ctx = new OfflineAudioContext({ numberOfChannels: 1, length: Math.round(rate * seconds), sampleRate: rate });
  await ctx.audioWorklet.addModule('/worklets/capture.processor.ts');
  const node = new AudioWorkletNode(ctx, 'voice-capture', { numberOfInputs: 1, numberOfOutputs: 0 });
  const frames: { index: number; samples: Float32Array }[] = [];
  node.port.onmessage = (e) => e.data.type === 'frame' && frames.push(e.data);
  const osc = new OscillatorNode(ctx, { frequency: hz });
  const gain = new GainNode(ctx, { gain: amplitude });
  osc.connect(gain).connect(node);
  osc.start();
  await ctx.startRendering();
  const expected = Math.floor((seconds * 16000) / 512) - 1;
  for (let i = 0; i < 100 && frames.length < expected; i++) await new Promise((r) => setTimeout(r, 20));
  expect(frames.map((f) => f.index)).to.deep.equal(frames.map((_, i) => i), 'frames arrive in order, none missing');
  const out = new Float32Array(frames.length * 512);
  frames.forEach((f, i) => {
    expect(f.samples.length).to.equal(512);
    out.set(f.samples, i * 512);
  });
  return out.subarray(1600); // skip the first 100 ms (filter and oscillator start)
}

describe('capture worklet resampling', () => {
  for (const rate of [48000, 44100]) {
    it(`turns a 1 kHz tone at ${rate / 1000} kHz into a 1 kHz tone at 16 kHz with its level`, async () => {
      const y = await throughWorklet(rate, 1000, 0.5);
      expect(y.length).to.be.greaterThan(16000);
      const hz = zeroCrossingHz(y, 16000);
      const level = amplitudeAt(y, 16000, 1000);
      console.log(`${rate} Hz -> 16 kHz, 1 kHz tone: ${hz.toFixed(2)} Hz, amplitude ${level.toFixed(4)} (${db(level / 0.5).toFixed(3)} dB)`);
      expect(hz).to.be.closeTo(1000, 1);
      expect(db(level / 0.5)).to.be.closeTo(0, 0.1);
      expect(db(rms(y) / (0.5 / Math.SQRT2))).to.be.closeTo(0, 0.1);
    });

    for (const hz of [8500, 10000, 15000]) {
      it(`attenuates a ${hz / 1000} kHz tone at ${rate / 1000} kHz by at least 40 dB`, async () => {
        const y = await throughWorklet(rate, hz, 0.5);
        const alias = Math.abs(16000 - hz) % 16000;
        const attenuation = -db(rms(y) / (0.5 / Math.SQRT2));
        console.log(`${rate} Hz, ${hz} Hz tone: ${attenuation.toFixed(1)} dB down (alias bin ${alias} Hz: ${-db(amplitudeAt(y, 16000, alias) / 0.5) | 0} dB down)`);
        expect(attenuation).to.be.at.least(40);
      });
    }
  }

  it('is not sample dropping: plain decimation would alias 10 kHz to 6 kHz at full level', () => {
    // The comparison that makes the test above meaningful.
    const x = Float32Array.from({ length: 48000 }, (_, n) => 0.5 * Math.sin((2 * Math.PI * 10000 * n) / 48000));
    const dropped = x.filter((_, n) => n % 3 === 0);
    expect(db(amplitudeAt(dropped, 16000, 6000) / 0.5)).to.be.greaterThan(-1);
    const r = new Resampler({ inRate: 48000, outRate: 16000 });
    const y = new Float32Array(r.maxOutput(x.length));
    const n = r.process(x, y);
    expect(db(amplitudeAt(y.subarray(800, n), 16000, 6000) / 0.5)).to.be.lessThan(-50);
  });

  it('resamples in any block sizes to the same result, and up as well as down', () => {
    const x = Float32Array.from({ length: 22050 }, (_, n) => Math.sin((2 * Math.PI * 440 * n) / 22050) * 0.3);
    const whole = new Resampler({ inRate: 22050, outRate: 16000 });
    const a = new Float32Array(whole.maxOutput(x.length));
    const na = whole.process(x, a);
    const pieces = new Resampler({ inRate: 22050, outRate: 16000 });
    const b = new Float32Array(na + 64);
    let nb = 0;
    for (let at = 0, size = 1; at < x.length; at += size, size = (size * 7) % 300 + 1) {
      const chunk = x.subarray(at, at + size);
      const out = new Float32Array(pieces.maxOutput(chunk.length));
      const k = pieces.process(chunk, out);
      b.set(out.subarray(0, k), nb);
      nb += k;
    }
    expect(nb).to.equal(na);
    for (let i = 0; i < na; i++) expect(Math.abs(a[i] - b[i])).to.be.below(1e-6);
    expect(zeroCrossingHz(a.subarray(400, na), 16000)).to.be.closeTo(440, 0.5);
    const up = new Resampler({ inRate: 8000, outRate: 16000 });
    const tone = Float32Array.from({ length: 8000 }, (_, n) => 0.3 * Math.sin((2 * Math.PI * 1000 * n) / 8000));
    const u = new Float32Array(up.maxOutput(tone.length));
    const nu = up.process(tone, u);
    expect(nu).to.be.within(15800, 16002);
    expect(db(amplitudeAt(u.subarray(400, nu), 16000, 1000) / 0.3)).to.be.closeTo(0, 0.1);
    expect(db(amplitudeAt(u.subarray(400, nu), 16000, 7000) / 0.3)).to.be.lessThan(-40);
  });
});
