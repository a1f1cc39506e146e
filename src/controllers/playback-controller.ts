import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import { PlaybackQueue } from '../audio/playback-queue.js';

export type PlaybackStatus = 'idle' | 'playing';

export interface PlaybackOptions {
  /** The assistant became audible (`true`) or silent again (`false`). */
  onAudible?(audible: boolean): void;
}

/**
 * The assistant's audio output for one element: a `PlaybackQueue` on the shared AudioContext,
 * which it holds only while something has played, and gives back when the host is removed.
 * @example
 * const playback = new PlaybackController(host, { onAudible: (on) => guardEcho(on) });
 * playback.queue.enqueue({ kind: 'pcm', samples, sampleRate: 24000 });
 */
export class PlaybackController implements ReactiveController {
  status: PlaybackStatus = 'idle';
  /** Sentences are queued here; tests and benches tap its output (`queue.addTap`). */
  readonly queue: PlaybackQueue;

  constructor(
    private readonly host: ReactiveControllerHost,
    options: PlaybackOptions = {},
  ) {
    const set = (status: PlaybackStatus) => {
      if (status === this.status) return;
      this.status = status;
      host.requestUpdate();
      options.onAudible?.(status === 'playing');
    };
    this.queue = new PlaybackQueue({ onStart: () => set('playing'), onIdle: () => set('idle') });
    host.addController(this);
  }

  /** Whether anything is playing or waiting to play. */
  get playing(): boolean {
    return this.queue.playing;
  }

  /** @private */
  hostDisconnected(): void {
    this.queue.dispose();
  }

  /** Stops the output, gives the AudioContext back and leaves the host. Safe twice. */
  dispose(): void {
    this.host.removeController(this);
    this.queue.dispose();
  }
}
