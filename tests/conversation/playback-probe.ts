import { PlaybackQueue } from '../../src/audio/playback-queue.js';

/**
 * Listens to what the playback queue plays (an AnalyserNode on its output, via
 * `PlaybackQueue.taps`): how long it was audible, how loud, and when it went quiet.
 */
export class PlaybackProbe {
  audibleMs = 0;
  peakRms = 0;
  energy = 0;
  firstSoundAt?: number;
  lastSoundAt?: number;
  /** When each stretch of sound began (after at least `gapMs` of quiet): one per answer heard. */
  readonly onsets: number[] = [];
  private analysers: AnalyserNode[] = [];
  private timer?: ReturnType<typeof setInterval>;
  private readonly tap = (output: AudioNode, ctx: AudioContext) => {
    const a = new AnalyserNode(ctx, { fftSize: 512 });
    output.connect(a);
    this.analysers.push(a);
  };

  /** Probes every queue created from now on, or only `queue` (e.g. one inside a built bundle). */
  constructor(
    queue?: { addTap(tap: (output: AudioNode, ctx: AudioContext) => void): void },
    private readonly stepMs = 10,
    private readonly gapMs = 150,
  ) {
    if (queue) queue.addTap(this.tap);
    else PlaybackQueue.taps.add(this.tap);
    const buf = new Float32Array(512);
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const dt = now - last;
      last = now;
      for (const a of this.analysers) {
        a.getFloatTimeDomainData(buf);
        const rms = Math.sqrt(buf.reduce((s, x) => s + x * x, 0) / buf.length);
        if (rms > 0.005) {
          this.audibleMs += dt;
          this.energy += rms * rms * dt;
          this.peakRms = Math.max(this.peakRms, rms);
          this.firstSoundAt ??= now;
          if (this.lastSoundAt === undefined || now - this.lastSoundAt > this.gapMs) this.onsets.push(now);
          this.lastSoundAt = now;
        }
      }
    }, this.stepMs);
  }

  /** The first sound that began at or after `t` (a barged-in earlier answer does not count). */
  firstOnsetAfter(t: number): number | undefined {
    return this.onsets.find((at) => at >= t);
  }

  /** Whether anything is audible right now. */
  get audibleNow(): boolean {
    const buf = new Float32Array(512);
    return this.analysers.some((a) => {
      a.getFloatTimeDomainData(buf);
      return buf.some((x) => Math.abs(x) > 0.005);
    });
  }

  dispose() {
    clearInterval(this.timer);
    PlaybackQueue.taps.delete(this.tap);
  }
}

/** Waits until `cond()` holds (polling), or fails after `ms`. */
export async function until(cond: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
