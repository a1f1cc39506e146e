import { releaserOf, type Disposable } from './releasers.js';

/** A registration: `release()` gives the resource back now (and forgets it); safe to call twice. */
export interface Held {
  readonly label: string;
  release(): void;
}

interface Entry {
  label: string;
  run: () => unknown;
  scope?: Disposer;
  alive?: () => boolean;
}

/**
 * Provable cleanup: every resource an element acquires is registered here with a label, and
 * `dispose()` releases what is still held, newest first (a node before its context, a port before
 * its worker). Releasing never throws: errors are collected and returned. A resource that arrives
 * after `dispose()` (a `getUserMedia` that resolves after `stop()`) is released at once. `held()`
 * is the debug accessor: the labels of what is still held.
 *
 * Scopes: `scope(label)` makes a child disposer held by this one, so `stop()` can dispose what one
 * `start()` acquired while the element's own disposer lives on.
 * @example
 * const d = new Disposer('voice-assistant');
 * d.add('mic track', track);
 * d.listen('pagehide', window, 'pagehide', () => d.dispose());
 * await d.dispose(); // [] when everything was released cleanly
 */
export class Disposer {
  private entries: Entry[] = [];
  private disposing?: Promise<unknown[]>;
  private detach?: () => void;

  constructor(
    readonly label = 'disposer',
    private readonly onError?: (label: string, error: unknown) => void,
  ) {}

  get disposed(): boolean {
    return !!this.disposing;
  }

  /**
   * Registers a resource (or a release function) under `label`. `alive` tells whether a
   * resource released by its owner's own teardown is still held, so that `held()` stays true.
   */
  add(label: string, resource: Disposable, options: { alive?: () => boolean } = {}): Held {
    const run = releaserOf(resource);
    const entry: Entry = { label, run, alive: options.alive };
    if (this.disposing) {
      void this.release(entry);
      return { label, release: () => {} };
    }
    this.entries.push(entry);
    return {
      label,
      release: () => {
        const i = this.entries.indexOf(entry);
        if (i < 0) return;
        this.entries.splice(i, 1);
        void this.release(entry);
      },
    };
  }

  /** Adds a listener and holds it; released by removing it. */
  listen<K extends string>(label: string, target: EventTarget, type: K, fn: EventListenerOrEventListenerObject, options?: AddEventListenerOptions): Held {
    target.addEventListener(type, fn, options);
    return this.add(label, () => target.removeEventListener(type, fn, options));
  }

  /** A child disposer, released with this one or on its own by its `dispose()`. */
  scope(label: string): Disposer {
    const child = new Disposer(label, this.onError);
    const entry: Entry = { label, run: () => child.dispose(), scope: child };
    if (this.disposing) {
      void child.dispose();
      return child;
    }
    this.entries.push(entry);
    child.detach = () => {
      const i = this.entries.indexOf(entry);
      if (i >= 0) this.entries.splice(i, 1);
    };
    return child;
  }

  /** Labels still held, oldest first; a scope's are prefixed with its label. */
  held(): string[] {
    const out: string[] = [];
    for (const e of this.entries) {
      if (e.scope) out.push(...e.scope.held().map((l) => `${e.label}/${l}`));
      else if (!e.alive || e.alive()) out.push(e.label);
    }
    return out;
  }

  /**
   * Releases everything still held, newest first. Idempotent: a second call returns the first
   * call's promise. Never rejects; resolves with the errors releasing raised (empty when clean).
   */
  dispose(): Promise<unknown[]> {
    if (this.disposing) return this.disposing;
    this.detach?.();
    const entries = this.entries.reverse();
    this.entries = [];
    this.disposing = Promise.all(entries.map((e) => this.release(e))).then((errors) => errors.filter((e) => e !== undefined));
    return this.disposing;
  }

  /** Runs one release; returns its error, if any (async ones are awaited). */
  private async release(e: Entry): Promise<unknown> {
    try {
      await e.run();
      return undefined;
    } catch (error) {
      this.onError?.(e.label, error);
      return error ?? new Error(`releasing ${e.label} failed`);
    }
  }
}
