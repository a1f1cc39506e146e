import type { WorkerRpc } from './worker-rpc.js';

/**
 * A worker started on first use and kept: started again if it died, and forgotten if its start
 * failed (network, worker error) so that the next call tries again.
 */
export class LazyWorker {
  private rpc?: Promise<WorkerRpc>;

  constructor(private readonly start: () => Promise<WorkerRpc>) {}

  get(): Promise<WorkerRpc> {
    const current = this.rpc;
    if (current) return current.then((r) => (r.alive ? r : ((this.rpc = undefined), this.get())));
    const started = this.start();
    this.rpc = started;
    started.catch(() => this.rpc === started && (this.rpc = undefined));
    return started;
  }

  /** Ends the worker if it was started; safe to call twice. */
  dispose(): void {
    void this.rpc?.then((r) => r.terminate(), () => {});
    this.rpc = undefined;
  }
}
