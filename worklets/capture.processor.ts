/**
 * The capture AudioWorkletProcessor: downmixes the microphone to mono, low-passes and resamples
 * it to 16 kHz (src/audio/resampler.ts), and posts fixed 512-sample frames, transferred rather
 * than copied, to the port it is given (the VAD worker's), or to its own port when none is.
 * About every 50 ms it posts the input level for the meter on its own port.
 *
 * Messages in:  {type: 'port', port}  where frames go;  {type: 'stop'}  process() returns false.
 * Messages out: {type: 'frame', index, samples};  {type: 'level', level (0..1), rms}.
 * Frame `index` counts from the first sample heard, so frame k starts at k * 32 ms of audio.
 */
import { Resampler } from '../src/audio/resampler.js';

// The AudioWorkletGlobalScope is not in TypeScript's DOM library.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: unknown);
}

interface CaptureOptions {
  frameSize?: number;
  targetRate?: number;
  levelIntervalMs?: number;
}

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly frameSize: number;
  private readonly resampler: Resampler;
  private readonly levelEvery: number;
  private out = new Float32Array(256);
  private mono = new Float32Array(128);
  private frame: Float32Array;
  private fill = 0;
  private index = 0;
  private sumSquares = 0;
  private counted = 0;
  private framePort?: MessagePort;
  private stopped = false;

  constructor(options: { processorOptions?: CaptureOptions }) {
    super();
    const o = options.processorOptions ?? {};
    this.frameSize = o.frameSize ?? 512;
    this.frame = new Float32Array(this.frameSize);
    this.resampler = new Resampler({ inRate: sampleRate, outRate: o.targetRate ?? 16000 });
    this.levelEvery = Math.round((sampleRate * (o.levelIntervalMs ?? 50)) / 1000);
    this.port.onmessage = (e: MessageEvent) => {
      if (e.data?.type === 'port') this.framePort = e.data.port;
      if (e.data?.type === 'stop') this.stop();
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0];
    // No channels: nothing is connected yet (or any more); the timeline starts with real input.
    if (!channels || channels.length === 0) return true;
    const n = channels[0].length;
    if (this.mono.length < n) this.mono = new Float32Array(n);
    const mono = this.mono.subarray(0, n);
    mono.set(channels[0]);
    for (let c = 1; c < channels.length; c++) for (let i = 0; i < n; i++) mono[i] += channels[c][i];
    if (channels.length > 1) for (let i = 0; i < n; i++) mono[i] /= channels.length;
    this.meter(mono);
    const need = this.resampler.maxOutput(n);
    if (this.out.length < need) this.out = new Float32Array(need);
    const count = this.resampler.process(mono, this.out);
    for (let i = 0; i < count; i++) {
      this.frame[this.fill++] = this.out[i];
      if (this.fill === this.frameSize) this.send();
    }
    return true;
  }

  private send() {
    const samples = this.frame;
    (this.framePort ?? this.port).postMessage({ type: 'frame', index: this.index++, samples }, [samples.buffer]);
    this.frame = new Float32Array(this.frameSize);
    this.fill = 0;
  }

  private meter(mono: Float32Array) {
    for (let i = 0; i < mono.length; i++) this.sumSquares += mono[i] * mono[i];
    this.counted += mono.length;
    if (this.counted < this.levelEvery) return;
    const rms = Math.sqrt(this.sumSquares / this.counted);
    // -60 dBFS .. 0 dBFS mapped onto 0..1: a meter that moves for quiet speech too.
    const level = Math.max(0, Math.min(1, (20 * Math.log10(rms + 1e-9) + 60) / 60));
    this.port.postMessage({ type: 'level', level, rms });
    this.sumSquares = 0;
    this.counted = 0;
  }

  private stop() {
    this.stopped = true;
    this.framePort?.close();
    this.framePort = undefined;
    this.port.onmessage = null;
  }
}

registerProcessor('voice-capture', CaptureProcessor);
