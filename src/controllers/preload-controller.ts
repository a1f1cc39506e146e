import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { VoiceConfig } from '../config/config.js';

type Host = ReactiveControllerHost & HTMLElement & { readonly config: VoiceConfig; debugLog(...a: unknown[]): void };

/**
 * Runs `load` once, ahead of activation, as the `preload` attribute asks: `eager` on
 * connection, `idle` when the browser is idle, `hover` when a pointer or focus comes to the
 * launcher, `none` never. It never touches the microphone or creates an AudioContext.
 */
export class PreloadController implements ReactiveController {
  private done = false;
  private idleHandle?: number;

  constructor(
    private readonly host: Host,
    private readonly load: () => Promise<unknown>,
  ) {
    host.addController(this);
  }

  hostConnected() {
    const how = this.host.config.preload;
    if (how === 'eager') this.run();
    else if (how === 'idle') {
      this.idleHandle = "requestIdleCallback" in self ? requestIdleCallback(this.run, { timeout: 5000 }) : (setTimeout(this.run, 2000) as unknown as number);
    } else if (how === 'hover') {
      for (const type of HOVER) this.host.addEventListener(type, this.run, { passive: true });
    }
  }

  hostDisconnected() {
    if (this.idleHandle !== undefined) ("cancelIdleCallback" in self ? cancelIdleCallback : clearTimeout)(this.idleHandle);
    this.idleHandle = undefined;
    for (const type of HOVER) this.host.removeEventListener(type, this.run);
  }

  /** Starts the load now (once); failures are logged, activation will try again. */
  run = () => {
    this.hostDisconnected();
    if (this.done) return;
    this.done = true;
    this.load().catch((e: unknown) => {
      this.done = false;
      this.host.debugLog('preload failed', e);
    });
  };
}

const HOVER = ['pointerenter', 'focusin', 'touchstart'] as const;
