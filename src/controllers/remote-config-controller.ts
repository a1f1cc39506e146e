import type { ReactiveController, ReactiveControllerHost } from '@lit/reactive-element';
import type { RemoteConfig, RemoteConfigHost } from './remote-config-loader.js';
import { loadChunk } from '../internal/loader.js';

type Host = ReactiveControllerHost & HTMLElement & RemoteConfigHost & { readonly config: { readonly configUrl?: string } };

/**
 * Follows `config-url`: loads the remote-configuration code (a lazy chunk, so a page without
 * `config-url` never downloads it) and keeps one loader per URL while connected.
 */
export class RemoteConfigController implements ReactiveController {
  private url?: string;
  private loader?: Promise<RemoteConfig | void>;
  private started?: Promise<unknown>;

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  /** Resolves when the first document is in force, or after 3 s without one. */
  ready(): Promise<unknown> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return this.started ? Promise.race([this.started, new Promise((ok) => (timer = setTimeout(ok, 3000)))]).finally(() => clearTimeout(timer)) : Promise.resolve();
  }

  hostConnected() {
    this.hostUpdated();
  }

  hostUpdated() {
    const url = this.host.config.configUrl;
    if (url === this.url || !this.host.isConnected) return;
    this.hostDisconnected();
    if (!(this.url = url)) return;
    this.loader = loadChunk('config', () => import('./remote-config-loader.js')).then(
      (m) => new m.RemoteConfig(this.host, url),
      // (the loader's own message: the config code could not be loaded; the attributes stand)
      (e: Error) => this.host.warnOnce(e.message),
    );
    this.started = this.loader.then((l) => l?.start());
  }

  hostDisconnected() {
    void this.loader?.then((l) => l?.dispose());
    this.url = this.loader = this.started = undefined;
  }
}
