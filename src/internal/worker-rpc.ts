import { VoiceAssistantError } from '../errors.js';

/** What a worker served by `serveRpc` answers to each request. */
export type RpcReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string };

/** A request as it travels to the worker: the caller's message plus a call id. */
export type RpcRequest<M> = M & { id: number };

/**
 * Request/response over a worker: each call gets an id, its reply settles its promise, and an
 * aborted call is rejected at once (the worker's late answer is dropped). A worker that fails
 * to load or crashes rejects every pending call and every later one, so the owner can start a
 * fresh worker on the next use.
 */
export class WorkerRpc {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
  private failure?: VoiceAssistantError;

  constructor(
    private readonly worker: Worker,
    private readonly label: string,
  ) {
    worker.onmessage = (e: MessageEvent<RpcReply>) => {
      const call = this.pending.get(e.data.id);
      if (!call) return;
      this.pending.delete(e.data.id);
      if (e.data.ok) call.resolve(e.data.value);
      else call.reject(new VoiceAssistantError('engine-failed', `${label}: ${e.data.message}`, true));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      this.fail(new VoiceAssistantError('asset-load', `${label} could not start: ${e.message || 'the worker script failed to load'}.`, true));
    };
  }

  get alive(): boolean {
    return !this.failure;
  }

  call<T>(message: object, transfer: Transferable[] = [], signal?: AbortSignal): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (signal?.aborted) return Promise.reject(signal.reason);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (f: (v: never) => void) => (v: unknown) => {
        signal?.removeEventListener('abort', onAbort);
        f(v as never);
      };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Ends the worker; pending and later calls are rejected. Safe to call twice. */
  terminate(): void {
    this.worker.terminate();
    this.fail(new VoiceAssistantError('aborted', `${this.label} was stopped.`, true));
  }

  private fail(error: VoiceAssistantError) {
    this.failure ??= error;
    for (const call of this.pending.values()) call.reject(this.failure);
    this.pending.clear();
  }
}

/** The worker's side: runs `handle` for each request and posts its value (transferring what it names). */
export function serveRpc<M>(handle: (message: RpcRequest<M>) => Promise<{ value: unknown; transfer?: Transferable[] }>): void {
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<RpcRequest<M>>) => void) | null;
    postMessage(message: RpcReply, transfer?: Transferable[]): void;
  };
  // One request at a time, in order: the engines inside are synchronous WASM anyway.
  let queue = Promise.resolve();
  scope.onmessage = (e) => {
    const m = e.data;
    queue = queue.then(async () => {
      try {
        const { value, transfer = [] } = await handle(m);
        scope.postMessage({ id: m.id, ok: true, value }, transfer);
      } catch (error) {
        scope.postMessage({ id: m.id, ok: false, message: error instanceof Error ? error.message : String(error) });
      }
    });
  };
}
