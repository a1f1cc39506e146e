import { acquireAudioContext, releaseAudioContext } from './shared-audio-context.js';

/** Mono PCM in [-1, 1] at its own sample rate; the playback queue resamples. */
export interface PcmAudio {
  readonly kind: 'pcm';
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/** Audio the engine plays itself (the Web Speech API); resolves when done. */
export interface ExternalAudio {
  readonly kind: 'external';
  play(signal: AbortSignal): Promise<void>;
}

/** Sees the queue's output node (e.g. to connect an AnalyserNode); may return a disconnect. */
export type PlaybackTap = (output: AudioNode, context: AudioContext) => void;

/** One queued piece of audio: when it starts being heard, and when it is over (or stopped). */
export interface Queued {
  /** `performance.now()` time at which its first sample plays. */
  readonly started: Promise<number>;
  readonly done: Promise<void>;
}

/** Lead time for the first buffer: long enough not to be late, short enough not to be heard. */
const LEAD_S = 0.01;

/**
 * Plays synthesised sentences back to back, without gaps, on the shared AudioContext:
 * PCM is scheduled on the audio clock right after the previous buffer (so the next sentence can
 * be synthesised while this one plays); engines that play by themselves (Web Speech) wait their
 * turn. `stop()` silences everything at once (barge-in) and forgets what was queued.
 * @example
 * const q = new PlaybackQueue();
 * const { started } = q.enqueue({ kind: 'pcm', samples, sampleRate: 22050 });
 */
export class PlaybackQueue {
  /** Test and debug hook: every queue created afterwards shows its output to these. */
  static readonly taps = new Set<PlaybackTap>();

  private ctx?: AudioContext;
  private out?: GainNode;
  private readonly taps = new Set<PlaybackTap>();
  private endAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private generation = 0;
  private pending = 0;
  private readonly sources = new Set<AudioBufferSourceNode>();
  private readonly externals = new Set<AbortController>();
  private readonly settle = new Set<() => void>();

  /** Told when audio begins after silence, and when the queue has run dry or was stopped. */
  constructor(private readonly events: { onStart?(at: number): void; onIdle?(): void } = {}) {}

  /** Whether anything is playing or waiting to play. */
  get playing(): boolean {
    return this.pending > 0;
  }

  enqueue(audio: PcmAudio | ExternalAudio): Queued {
    const generation = this.generation;
    let started!: (at: number) => void;
    let done!: () => void;
    const result: Queued = { started: new Promise((r) => (started = r)), done: new Promise((r) => (done = r)) };
    const finish = () => {
      this.settle.delete(finish);
      done();
      if (--this.pending === 0) {
        this.duck(false);
        this.events.onIdle?.();
      }
    };
    this.settle.add(finish);
    if (this.pending++ === 0) void result.started.then((at) => generation === this.generation && this.events.onStart?.(at));
    this.chain = this.chain.then(async () => {
      if (generation !== this.generation) return;
      try {
        if (audio.kind === 'pcm') this.schedule(audio, started, finish);
        else await this.playExternal(audio, started, generation);
      } catch {
        // A piece that cannot play is skipped rather than stalling the queue.
      }
      if (audio.kind !== 'pcm' && this.settle.has(finish)) finish();
    });
    return result;
  }

  /**
   * Shows this queue's output to `tap` now (or when its context is created), e.g. to measure
   * what is played; works across module copies (a built bundle), unlike the static `taps`.
   */
  addTap(tap: PlaybackTap): void {
    this.taps.add(tap);
    if (this.ctx && this.out) tap(this.out, this.ctx);
  }

  /**
   * Fades the output to silence within a few milliseconds, or back to full level, without
   * dropping anything: a possible barge-in is silenced at once and only stopped when the VAD
   * confirms it is speech. Returns when (`performance.now()`) it was asked.
   */
  duck(on: boolean): number {
    if (this.out && this.ctx) this.out.gain.setTargetAtTime(on ? 0 : 1, this.ctx.currentTime, on ? 0.002 : 0.015);
    return performance.now();
  }

  /** Silences everything now and drops the queue; returns when (`performance.now()`) it did. */
  stop(): number {
    this.generation++;
    if (this.out) {
      this.out.gain.cancelScheduledValues(0);
      this.out.gain.value = 1;
    }
    for (const s of this.sources) {
      s.onended = null;
      s.disconnect();
      s.stop();
    }
    this.sources.clear();
    for (const ac of this.externals) ac.abort();
    this.externals.clear();
    const stoppedAt = performance.now();
    this.endAt = 0;
    this.chain = Promise.resolve();
    const wasPlaying = this.pending > 0;
    for (const f of [...this.settle]) {
      this.settle.delete(f);
      f();
    }
    this.pending = 0;
    if (wasPlaying) this.events.onIdle?.();
    return stoppedAt;
  }

  /** Stops and gives the shared AudioContext back. Safe to call twice. */
  dispose(): void {
    this.stop();
    if (!this.ctx) return;
    this.out?.disconnect();
    this.out = this.ctx = undefined;
    releaseAudioContext();
  }

  private context(): { ctx: AudioContext; out: GainNode } {
    if (!this.ctx || !this.out) {
      this.ctx = acquireAudioContext();
      this.out = new GainNode(this.ctx);
      this.out.connect(this.ctx.destination);
      for (const tap of [...PlaybackQueue.taps, ...this.taps]) tap(this.out, this.ctx);
    }
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    return { ctx: this.ctx, out: this.out };
  }

  private schedule(audio: PcmAudio, started: (at: number) => void, finish: () => void) {
    const { ctx, out } = this.context();
    if (!audio.samples.length) {
      started(performance.now());
      finish();
      return;
    }
    const buffer = new AudioBuffer({ length: audio.samples.length, sampleRate: audio.sampleRate, numberOfChannels: 1 });
    buffer.copyToChannel(audio.samples as Float32Array<ArrayBuffer>, 0);
    const source = new AudioBufferSourceNode(ctx, { buffer });
    source.connect(out);
    const at = Math.max(ctx.currentTime + LEAD_S, this.endAt);
    this.endAt = at + buffer.duration;
    this.sources.add(source);
    source.onended = () => {
      this.sources.delete(source);
      source.disconnect();
      finish();
    };
    source.start(at);
    started(performance.now() + (at - ctx.currentTime) * 1000);
  }

  private async playExternal(audio: ExternalAudio, started: (at: number) => void, generation: number) {
    const { ctx } = this.context();
    const wait = (this.endAt - ctx.currentTime) * 1000;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (generation !== this.generation) return;
    const ac = new AbortController();
    this.externals.add(ac);
    started(performance.now());
    try {
      await audio.play(ac.signal);
    } finally {
      this.externals.delete(ac);
      this.endAt = ctx.currentTime;
    }
  }
}
