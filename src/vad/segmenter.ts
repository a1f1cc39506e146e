import { RingBuffer } from '../audio/ring-buffer.js';

/**
 * Turns per-frame speech probabilities into utterances (after vad-web's FrameProcessor, with
 * an energy-refined onset). Pure and synchronous: the VAD worker feeds it, unit tests feed it
 * synthetic probabilities. Times are milliseconds of audio since the first frame (index 0).
 */
export interface SegmenterOptions {
  /** Probability that starts speech; it continues until it falls below threshold - 0.15. */
  threshold: number;
  /** Silence that ends an utterance. */
  silenceMs: number;
  /** Hard cap on one utterance's audio; longer speech is cut and emitted. */
  maxUtteranceS: number;
  /** Speech shorter than this is a misfire: no event. */
  minSpeechMs?: number;
  /** Audio kept from before the first frame over the threshold. */
  preRollMs?: number;
  /** Audio kept after the last speech frame. */
  tailMs?: number;
  /** Audio kept before the energy-refined onset (within `preRollMs`). */
  leadMs?: number;
  /**
   * Silence after which the utterance so far is handed over speculatively (`pause`), so that the
   * answer can be prepared before `silenceMs` ends the turn; 0, or not below `silenceMs`: never.
   */
  pauseMs?: number;
  frameSamples?: number;
  sampleRate?: number;
}

/**
 * Edges measured on real human speech (bench/wer.mjs, tests/vad/human-*.test.ts): Silero's
 * probability falls 100-230 ms before a soft word ending ("conference", "moment") has died
 * away, so a 96 ms tail cut 50-134 ms of speech; a 224 ms tail keeps it (measured
 * 130-270 ms to spare) while the speculative pause, which waits for the tail, still comes
 * within a 350 ms pause inside a sentence (tests/conversation/e2e-pause-inside). 160 ms of lead before
 * the energy onset gives the recogniser some quiet to start from, as a recorded file has.
 */
export const SEGMENTER_DEFAULTS = { minSpeechMs: 96, preRollMs: 480, tailMs: 224, leadMs: 160, pauseMs: 200, frameSamples: 512, sampleRate: 16000 };

export type SegmentEvent =
  /** The first frame over the threshold: speech may be starting (not yet confirmed). */
  | { type: 'onset'; at: number }
  | { type: 'start'; at: number }
  | { type: 'misfire'; at: number }
  /** Speech went on after a `pause`: the utterance continues, what was prepared is dropped. */
  | { type: 'resume'; at: number }
  | {
      /** `pause`: the utterance so far, after `pauseMs` of silence (the same audio `end` gives if the silence lasts). */
      type: 'end' | 'pause';
      /** End of the last speech frame (not when the silence hangover completed). */
      at: number;
      durationMs: number;
      reason: 'silence' | 'max-length';
      /** 16 kHz samples from just before the onset to just after the end. */
      audio: Float32Array;
      /** Where `audio` starts on the same timeline. */
      audioStartMs: number;
    };

interface Frame {
  index: number;
  samples: Float32Array;
  rms: number;
}

const BLOCK_MS = 8;

const rmsOf = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / (x.length || 1));

export class Segmenter {
  private readonly o: Required<SegmenterOptions>;
  private readonly frameMs: number;
  private readonly ring: RingBuffer<Frame>;
  private utterance: Frame[] = [];
  private state: 'idle' | 'pending' | 'speaking' = 'idle';
  /** Onset of the utterance under way, refined to an 8 ms block by energy. */
  private onsetMs = 0;
  /** Energy above the noise floor measured before the onset; 0 when no rise was visible. */
  private loud = 0;
  private speechFrames = 0;
  /** A `pause` was emitted and no speech came since. */
  private paused = false;
  /**
   * Last frame over the threshold itself. Pauses count from it, not from the hysteresis band
   * (threshold - 0.15) that `silenceMs` counts from: Silero's probability decays over 100-200 ms
   * after a word, which would hide most pauses inside a sentence.
   */
  private lastOn = 0;
  private silentFrames = 0;
  private lastVoiced = 0;
  /** No new utterance may reach back before this frame (it was emitted already). */
  private floor = 0;
  private next = 0;

  constructor(options: SegmenterOptions) {
    this.o = { ...SEGMENTER_DEFAULTS, ...options };
    this.frameMs = (1000 * this.o.frameSamples) / this.o.sampleRate;
    this.ring = new RingBuffer(Math.max(1, Math.round(this.o.preRollMs / this.frameMs)));
  }

  get speaking() {
    return this.state === 'speaking';
  }

  /**
   * Changes the threshold and minimum speech length from the next frame on, e.g. raised while
   * the assistant is audible so that its echo does not pass for the user (echo guard).
   */
  configure(options: Partial<Pick<SegmenterOptions, 'threshold' | 'minSpeechMs'>>) {
    Object.assign(this.o, Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)));
  }

  /** Feeds one frame and its speech probability; `index` defaults to the next frame. */
  push(samples: Float32Array, probability: number, index = this.next): SegmentEvent[] {
    this.next = index + 1;
    const frame = { index, samples, rms: rmsOf(samples) };
    const on = probability >= this.o.threshold;
    const events: SegmentEvent[] = [];
    if (this.state === 'idle') {
      if (!on) {
        this.ring.push(frame);
        return events;
      }
      this.begin(frame);
      events.push({ type: 'onset', at: this.onsetMs });
    } else {
      this.utterance.push(frame);
      if (on) {
        this.speechFrames++;
        this.lastOn = index;
      }
      if (probability >= Math.max(0, this.o.threshold - 0.15)) {
        this.silentFrames = 0;
        this.lastVoiced = index;
      } else this.silentFrames++;
    }
    if (this.state === 'pending' && this.speechFrames * this.frameMs >= this.o.minSpeechMs) {
      this.state = 'speaking';
      events.push({ type: 'start', at: this.onsetMs });
    }
    const silentMs = this.silentFrames * this.frameMs;
    const quietMs = (index - this.lastOn) * this.frameMs;
    if (this.state === 'speaking' && this.paused && on) {
      this.paused = false;
      events.push({ type: 'resume', at: index * this.frameMs });
    } else if (this.state === 'speaking' && !this.paused && this.o.pauseMs > 0 && quietMs >= this.o.pauseMs && index >= this.keepTo('silence') && silentMs < this.o.silenceMs) {
      // Not before the tail is in: the pause must hand over the audio the end would (a
      // speculation on shorter audio is dropped, conversation.ts `commit`).
      this.paused = true;
      events.push(this.cut('pause'));
    }
    if (silentMs >= this.o.silenceMs) {
      events.push(this.finish('silence'));
    } else if ((this.utterance.length + 1) * this.o.frameSamples > this.o.maxUtteranceS * this.o.sampleRate) {
      // Cut in the silence after the speech (the tail made the utterance reach the cap): the
      // speech ended at the last voiced frame, not here.
      if (this.silentFrames === 0) this.lastVoiced = index;
      events.push(this.finish('max-length'));
    }
    return events;
  }

  /** Forgets everything, e.g. when listening restarts. */
  reset() {
    this.ring.clear();
    this.utterance = [];
    this.state = 'idle';
    this.paused = false;
    this.floor = this.next = 0;
  }

  private begin(trigger: Frame) {
    // Walk back from the trigger while the pre-roll frames are clearly above the noise floor:
    // Silero reacts a frame or two after the onset, and the first syllable must be kept.
    const before = this.ring.toArray().filter((f) => f.index >= this.floor);
    const noise = Math.min(...before.map((f) => f.rms), trigger.rms);
    const loud = Math.max(noise * 2.5, 0.003);
    let k = before.length;
    while (k > 0 && before[k - 1].rms > loud) k--;
    // No rise out of a floor to see (speech over loud noise, or very soft speech): keep it all.
    const rise = trigger.rms > loud;
    if (!rise) k = 0;
    const first = k < before.length ? before[k] : trigger;
    this.loud = rise ? loud : 0;
    this.onsetMs = first.index * this.frameMs + (rise ? Math.max(0, this.blocks(first).findIndex((r) => r > loud)) : 0) * BLOCK_MS;
    this.utterance = [...before.slice(Math.max(0, k - Math.ceil(this.o.leadMs / this.frameMs))), trigger];
    this.ring.clear();
    this.state = 'pending';
    this.paused = false;
    this.speechFrames = 1;
    this.silentFrames = 0;
    this.lastVoiced = this.lastOn = trigger.index;
  }

  private finish(reason: 'silence' | 'max-length'): SegmentEvent {
    const { utterance, state } = this;
    const keepTo = this.keepTo(reason);
    const event = state === 'speaking' ? this.cut('end', reason) : { type: 'misfire' as const, at: this.endAt(reason) };
    this.utterance = [];
    this.state = 'idle';
    this.paused = false;
    this.floor = keepTo + 1;
    for (const f of utterance) if (f.index > keepTo) this.ring.push(f);
    return event;
  }

  /** The utterance so far, as `end` (or a speculative `pause`) hands it over; changes nothing. */
  private cut(type: 'end' | 'pause', reason: 'silence' | 'max-length' = 'silence'): Extract<SegmentEvent, { type: 'end' | 'pause' }> {
    const keepTo = this.keepTo(reason);
    const kept = this.utterance.filter((f) => f.index <= keepTo);
    const at = this.endAt(reason);
    const audio = new Float32Array(kept.length * this.o.frameSamples);
    kept.forEach((f, i) => audio.set(f.samples, i * this.o.frameSamples));
    return { type, at, durationMs: at - this.onsetMs, reason, audio, audioStartMs: kept[0].index * this.frameMs };
  }

  private keepTo(reason: 'silence' | 'max-length') {
    return reason === 'silence' ? this.lastVoiced + Math.round(this.o.tailMs / this.frameMs) : this.lastVoiced;
  }

  private endAt(reason: 'silence' | 'max-length') {
    return reason === 'silence' ? this.endOf(this.utterance) : (this.lastVoiced + 1) * this.frameMs;
  }

  /**
   * End of the last block over the onset's energy threshold, at most 8 frames before the last
   * frame Silero still called speech (its probability decays a few frames after the speech).
   */
  private endOf(utterance: Frame[]) {
    const fallback = (this.lastVoiced + 1) * this.frameMs;
    if (!this.loud) return fallback;
    const last = utterance.findIndex((f) => f.index === this.lastVoiced);
    for (let i = last; i >= 0 && i > last - 8; i--) {
      const blocks = this.blocks(utterance[i]);
      for (let b = blocks.length - 1; b >= 0; b--) {
        const end = utterance[i].index * this.frameMs + (b + 1) * BLOCK_MS;
        if (blocks[b] > this.loud) return Math.max(end, this.onsetMs + BLOCK_MS);
      }
    }
    return fallback;
  }

  /** RMS of each 8 ms block of a frame. */
  private blocks(f: Frame) {
    const n = (BLOCK_MS * this.o.sampleRate) / 1000;
    const out: number[] = [];
    for (let at = 0; at + n <= f.samples.length; at += n) out.push(rmsOf(f.samples.subarray(at, at + n)));
    return out;
  }
}
