/**
 * Streaming sample-rate conversion with a Kaiser-windowed sinc low-pass (polyphase), so that
 * content above the output's Nyquist frequency is removed before it can alias. Pure maths: it
 * runs in the capture worklet and in unit tests alike.
 *
 * The kernel is evaluated on the input grid at the fractional position of every output sample
 * (Smith, "Digital Audio Resampling", https://ccrma.stanford.edu/~jos/resample/). For the
 * rational ratio L/M = outRate/inRate the positions fall on at most L phases, which are
 * precomputed (48 kHz -> 16 kHz: 1 phase; 44.1 kHz -> 16 kHz: 160 phases).
 */
export interface ResamplerOptions {
  inRate: number;
  outRate: number;
  /** Stopband attenuation in dB (default 60). */
  attenuationDb?: number;
  /** Width of the transition band as a fraction of the lower Nyquist frequency (default 0.15). */
  transition?: number;
}

const MAX_PHASES = 1024;

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);

/** Modified Bessel function of the first kind, order 0 (series), for the Kaiser window. */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50 && term > 1e-12 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** Kaiser's beta for a given stopband attenuation in dB. */
export const kaiserBeta = (a: number) => (a > 50 ? 0.1102 * (a - 8.7) : a >= 21 ? 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21) : 0);

export class Resampler {
  /** Output samples per input sample. */
  readonly ratio: number;
  /** Low-pass cut-off (-6 dB point) in Hz. */
  readonly cutoffHz: number;
  /** Filter taps per output sample. */
  readonly taps: number;
  private readonly l: number;
  private readonly m: number;
  private readonly phases: number;
  private readonly half: number;
  private readonly coef: Float32Array;
  private buf: Float32Array;
  /** Absolute input index of buf[0]; samples before 0 are silence. */
  private start: number;
  private len: number;
  /** Absolute index of the next output sample. */
  private n = 0;

  constructor(o: ResamplerOptions) {
    const g = gcd(Math.round(o.outRate), Math.round(o.inRate));
    this.l = Math.round(o.outRate) / g;
    this.m = Math.round(o.inRate) / g;
    this.ratio = o.outRate / o.inRate;
    const a = o.attenuationDb ?? 60;
    const nyquist = Math.min(o.inRate, o.outRate) / 2;
    const width = nyquist * (o.transition ?? 0.15);
    this.cutoffHz = nyquist - width / 2;
    // Kaiser's estimate of the length for attenuation `a` and a transition of `width` Hz.
    const length = Math.ceil((a - 8) / (2.285 * 2 * Math.PI * (width / o.inRate))) + 1;
    this.half = Math.max(2, Math.ceil(length / 2));
    this.taps = 2 * this.half;
    this.phases = Math.min(this.l, MAX_PHASES);
    this.coef = this.design(kaiserBeta(a), (2 * this.cutoffHz) / o.inRate);
    this.buf = new Float32Array(this.taps + 1024);
    this.start = 1 - this.half;
    this.len = this.half - 1;
  }

  /** Upper bound of the outputs `process` writes for `inputLength` inputs. */
  maxOutput(inputLength: number) {
    return Math.ceil((inputLength * this.l) / this.m) + 2;
  }

  /** Consumes `input` and writes the outputs now computable to `output`; returns their count. */
  process(input: ArrayLike<number>, output: Float32Array): number {
    this.append(input);
    const { l, m, half, taps, coef, buf, phases } = this;
    const last = this.start + this.len - 1;
    let written = 0;
    for (;;) {
      const pos = this.n * m;
      let i = Math.floor(pos / l);
      let p = Math.round(((pos % l) / l) * phases);
      if (p === phases) (p = 0), i++;
      if (i + half > last || written >= output.length) break;
      const from = i - half + 1 - this.start;
      const row = p * taps;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += buf[from + k] * coef[row + k];
      output[written++] = acc;
      this.n++;
    }
    return written;
  }

  private append(input: ArrayLike<number>) {
    const firstNeeded = Math.floor((this.n * this.m) / this.l) - this.half + 1;
    const drop = Math.min(this.len, Math.max(0, firstNeeded - this.start));
    if (drop) {
      this.buf.copyWithin(0, drop, this.len);
      this.len -= drop;
      this.start += drop;
    }
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array(2 * (this.len + input.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    for (let k = 0; k < input.length; k++) this.buf[this.len + k] = input[k];
    this.len += input.length;
  }

  /** One row of `taps` coefficients per phase, each normalised to unity gain at DC. */
  private design(beta: number, fc: number) {
    const { half, taps, phases } = this;
    const coef = new Float32Array(phases * taps);
    const norm = besselI0(beta);
    for (let p = 0; p < phases; p++) {
      const f = p / phases;
      let sum = 0;
      for (let k = 0; k < taps; k++) {
        const tau = f + half - 1 - k;
        const x = tau / half;
        const w = Math.abs(x) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - x * x)) / norm;
        const s = tau === 0 ? 1 : Math.sin(Math.PI * fc * tau) / (Math.PI * fc * tau);
        sum += coef[p * taps + k] = fc * s * w;
      }
      for (let k = 0; k < taps; k++) coef[p * taps + k] /= sum;
    }
    return coef;
  }
}
