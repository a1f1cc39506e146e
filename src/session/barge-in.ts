import type { VoiceConfig } from '../config/config.js';
import type { PlaybackController } from '../controllers/playback-controller.js';
import { SEGMENTER_DEFAULTS } from '../vad/segmenter.js';
import type { Conversation } from './conversation.js';

/** An onset not confirmed as speech within this time was not the user: the output comes back. */
export const UNDUCK_MS = 400;

/** How capture should guard against the assistant's own voice while it is audible. */
export interface EchoGuard {
  readonly speaking: boolean;
  /** Speech probability needed to start speech now. */
  readonly threshold: number;
  /** Speech shorter than this (ms) is a misfire now; 0: the segmenter's own minimum. */
  readonly minSpeechMs: number;
}

/**
 * The user talking over the assistant (DESIGN.md section 2, `barge-in`): the first frame over
 * the VAD threshold ducks the output at once (`onset`), confirmed speech stops it and aborts the
 * answer in flight (`confirm`), an onset that is not confirmed soon brings the output back. While
 * the assistant is audible, capture asks more of speech (the echo guard), so that its own voice
 * is not taken for the user.
 */
export class BargeIn {
  /** When the output was ducked for a possible barge-in (`performance.now()`), if it is. */
  private duckedAt?: number;
  private unduck?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly host: { readonly config: VoiceConfig; debugLog(...args: unknown[]): void },
    private readonly playback: PlaybackController,
    private readonly conversation: Conversation,
    /** Where the echo guard goes (the VAD, through capture). */
    private readonly guard: (options: { threshold: number; minSpeechMs: number }) => void,
  ) {}

  /** What capture should require of speech now. */
  get echoGuard(): EchoGuard {
    const { vadThreshold, bargeIn } = this.host.config;
    const speaking = this.conversation.speaking;
    const guarded = speaking && bargeIn;
    return { speaking, threshold: guarded ? Math.min(0.95, vadThreshold + 0.25) : vadThreshold, minSpeechMs: guarded ? 160 : 0 };
  }

  /** The assistant became audible or silent: capture's echo guard follows. */
  audible(on: boolean): void {
    if (!on) this.duckedAt = undefined;
    const g = this.echoGuard;
    this.guard({ threshold: g.threshold, minSpeechMs: g.minSpeechMs || SEGMENTER_DEFAULTS.minSpeechMs });
  }

  /** A frame crossed the VAD threshold: speech may be starting. Ducks the output for a while. */
  onset(): void {
    this.duck(true);
    clearTimeout(this.unduck);
    this.unduck = setTimeout(() => this.duck(false), UNDUCK_MS);
  }

  /**
   * The VAD confirmed speech starting at `at` (`performance.now()` time). While the assistant is
   * audible and `barge-in` is on, its audio stops now and the answer in flight is aborted.
   * Returns the ms from `at` to silence, or undefined when there was nothing to interrupt.
   */
  confirm(at = performance.now()): number | undefined {
    clearTimeout(this.unduck);
    if (!this.host.config.bargeIn || !this.conversation.speaking) return undefined;
    // Silent since the onset was ducked, if it was; stopped for good now.
    const stoppedAt = Math.min(this.duckedAt ?? Infinity, this.playback.queue.stop());
    this.duckedAt = undefined;
    const ms = Math.max(0, stoppedAt - at);
    this.conversation.interrupt(ms);
    this.host.debugLog('barge-in', `${ms.toFixed(1)}ms`);
    return ms;
  }

  /** Forgets a pending unduck (listening stopped). */
  clear(): void {
    clearTimeout(this.unduck);
  }

  private duck(on: boolean) {
    if (on && (!this.host.config.bargeIn || !this.conversation.speaking || this.duckedAt !== undefined)) return;
    if (!on && this.duckedAt === undefined) return;
    const at = this.playback.queue.duck(on);
    this.duckedAt = on ? at : undefined;
  }
}
