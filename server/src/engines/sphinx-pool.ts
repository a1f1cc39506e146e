// Warm speech recognisers for the reference server: long-lived PocketSphinx processes
// (sphinx_worker.py on Debian's python3-pocketsphinx) that load the model once at start-up and
// then decode one utterance at a time, instead of a new pocketsphinx_continuous process (and a
// model load of ~0.4 s) per request. Same contract as the process pool: a FIFO queue with a limit
// (503 when full), a timeout per utterance (504), and an aborted request drops its work; a
// recogniser that is killed (timeout, abort, crash) is replaced.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../errors.ts';
import { abortError } from '../process-pool.ts';

const SCRIPT = fileURLToPath(new URL('./sphinx_worker.py', import.meta.url));
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us/en-us';
/** Debian's own Python, where python3-pocketsphinx installs (not a python3 of pyenv or a venv on PATH). */
const PYTHON = '/usr/bin/python3';

export interface SphinxPoolOptions {
  /** Recognisers kept warm (default: the cores, at most 2). */
  size: number;
  timeoutMs: number;
  maxQueue?: number;
  python?: string;
}

interface Job {
  pcm: Buffer;
  signal?: AbortSignal;
  timeoutMs: number;
  resolve(r: { text: string; ms: number }): void;
  reject(e: unknown): void;
}

interface Recogniser {
  child: ChildProcess;
  ready: Promise<void>;
  job?: Job;
  /** Answer lines waiting for their reader. */
  onLine?: (line: string) => void;
  /** Its model has loaded. */
  loaded?: boolean;
}

/** Whether this machine can run the warm recogniser (python3 with the pocketsphinx module and the model). */
export function sphinxPoolAvailable(python = PYTHON): boolean {
  if (!existsSync(MODEL_DIR)) return false;
  return spawnSync(python, ['-c', 'import pocketsphinx'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

export class SphinxPool {
  /** Processes started and models loaded (equal: one load per process), utterances decoded. */
  readonly counts = { started: 0, modelLoads: 0, served: 0, killed: 0 };
  private readonly idle: Recogniser[] = [];
  private readonly all = new Set<Recogniser>();
  private readonly queue: Job[] = [];
  private closed = false;
  /** Recognisers that died before their model loaded: past a few, the pool gives up. */
  private failedStarts = 0;

  constructor(private readonly opts: SphinxPoolOptions) {
    for (let i = 0; i < opts.size; i++) this.spawn();
  }

  get stats() {
    return { ...this.counts, size: this.opts.size, busy: this.all.size - this.idle.length, queued: this.queue.length };
  }

  /** Resolves when every recogniser has its model loaded. */
  async ready(): Promise<void> {
    await Promise.all([...this.all].map((r) => r.ready));
  }

  transcribe(pcm: Buffer, o: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<{ text: string; ms: number }> {
    if (o.signal?.aborted) return Promise.reject(abortError());
    if (this.closed) return Promise.reject(new HttpError(503, 'Server is shutting down.', 'engine_unavailable'));
    if (this.queue.length >= (this.opts.maxQueue ?? 64)) {
      return Promise.reject(new HttpError(503, 'Speech engines are busy; try again shortly.', 'engine_busy', 'queue_full', { 'Retry-After': '1' }));
    }
    return new Promise((resolve, reject) => {
      const job: Job = { pcm, signal: o.signal, timeoutMs: o.timeoutMs ?? this.opts.timeoutMs, resolve, reject };
      o.signal?.addEventListener('abort', () => this.abort(job), { once: true });
      this.queue.push(job);
      this.next();
    });
  }

  close(): void {
    this.closed = true;
    for (const r of this.all) r.child.kill('SIGKILL');
    for (const job of this.queue.splice(0)) job.reject(new HttpError(503, 'Server is shutting down.', 'engine_unavailable'));
  }

  private spawn() {
    if (this.closed) return;
    const child = spawn(this.opts.python ?? PYTHON, [SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
    // The recognisers never keep the process alive by themselves (the HTTP server does).
    child.unref();
    (child.stdin as unknown as { unref?(): void }).unref?.();
    (child.stdout as unknown as { unref?(): void }).unref?.();
    this.counts.started++;
    const r: Recogniser = { child, ready: Promise.resolve() };
    r.ready = new Promise<void>((ok, fail) => {
      r.onLine = (line) => {
        if (!JSON.parse(line).ready) return;
        this.counts.modelLoads++;
        r.loaded = true;
        r.onLine = undefined;
        this.idle.push(r);
        ok();
        this.next();
      };
      child.once('exit', () => fail(new Error('the recogniser exited while loading its model')));
    });
    r.ready.catch(() => undefined);
    let buffered = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        r.onLine?.(line);
      }
    });
    child.stdin!.on('error', () => undefined); // a killed child: its exit handler deals with it
    child.once('exit', () => this.lost(r));
    this.all.add(r);
  }

  /** Hands queued utterances to idle recognisers. */
  private next() {
    while (this.idle.length && this.queue.length) {
      const r = this.idle.shift()!;
      const job = this.queue.shift()!;
      this.run(r, job);
    }
  }

  private run(r: Recogniser, job: Job) {
    r.job = job;
    const timer = setTimeout(() => {
      this.kill(r);
      job.reject(new HttpError(504, `Speech recognition took longer than ${job.timeoutMs} ms.`, 'timeout', 'engine_timeout'));
    }, job.timeoutMs);
    r.onLine = (line) => {
      clearTimeout(timer);
      r.onLine = undefined;
      r.job = undefined;
      this.counts.served++;
      const { text, ms } = JSON.parse(line) as { text: string; ms: number };
      job.resolve({ text: text.trim(), ms });
      this.idle.push(r);
      this.next();
    };
    const head = Buffer.alloc(4);
    head.writeUInt32LE(job.pcm.length);
    r.child.stdin!.write(Buffer.concat([head, job.pcm]));
  }

  /** A request went away: drop its queued work, or kill the recogniser decoding it. */
  private abort(job: Job) {
    const i = this.queue.indexOf(job);
    if (i >= 0) this.queue.splice(i, 1);
    else for (const r of this.all) if (r.job === job) this.kill(r);
    job.reject(abortError());
  }

  private kill(r: Recogniser) {
    r.job = undefined;
    r.onLine = undefined;
    this.counts.killed++;
    r.child.kill('SIGKILL');
  }

  /** A recogniser ended (killed, crashed): its job fails, a new one takes its place. */
  private lost(r: Recogniser) {
    this.all.delete(r);
    const at = this.idle.indexOf(r);
    if (at >= 0) this.idle.splice(at, 1);
    r.job?.reject(new HttpError(502, 'The speech recogniser stopped unexpectedly.', 'server_error', 'engine_failed'));
    if (!r.loaded) this.failedStarts++;
    if (this.failedStarts > 3) {
      this.closed = true;
      for (const job of this.queue.splice(0)) job.reject(new HttpError(503, 'The speech recogniser cannot start here.', 'engine_unavailable'));
      return;
    }
    if (!this.closed) this.spawn();
  }
}
