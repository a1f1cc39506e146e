// Child processes for the engines: at most `concurrency` at once (the rest wait in a FIFO queue),
// each with a timeout (SIGKILL -> 504) and killed when the request is aborted.
import { spawn, type ChildProcess } from 'node:child_process';
import { HttpError } from './errors.ts';

export interface PoolOptions {
  concurrency: number;
  timeoutMs: number;
  /** Requests waiting beyond this many are refused with 503. */
  maxQueue?: number;
}

export interface RunOptions {
  /** Bytes written to the child's stdin (then closed). */
  input?: Buffer;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Debian package that provides the binary, named in the 503 when it is missing. */
  debianPackage?: string;
  maxOutputBytes?: number;
  /**
   * Give the program a real pipe (not Node's socketpair) on stdin and/or stdout. Programs that
   * open /dev/stdin or /dev/stdout by name (pocketsphinx_continuous -infile /dev/stdin,
   * flite -o /dev/stdout) fail on a socket with ENXIO, so the program is then run inside
   * `bash -c 'cat | prog ... | cat'`, whose `|` are real pipes; the exit status is the program's.
   */
  realPipes?: { stdin?: boolean; stdout?: boolean };
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  /** Wall time of the child itself (spawn to exit), not counting the queue. */
  ms: number;
}

export function abortError(): DOMException {
  return new DOMException('The request was aborted.', 'AbortError');
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** The command line that runs `cmd` with real pipes where asked (see RunOptions.realPipes). */
export function wrapForRealPipes(
  cmd: string,
  args: readonly string[],
  pipes: { stdin?: boolean; stdout?: boolean },
): [string, string[]] {
  if (!pipes.stdin && !pipes.stdout) return [cmd, [...args]];
  const script = `${pipes.stdin ? 'cat | ' : ''}"$0" "$@"${pipes.stdout ? ' | cat' : ''}; exit \${PIPESTATUS[${pipes.stdin ? 1 : 0}]}`;
  return ['bash', ['-c', script, cmd, ...args]];
}

export class ProcessPool {
  private active = 0;
  private peakActive = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly children = new Set<ChildProcess>();
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    if (!(opts.concurrency >= 1)) throw new RangeError('concurrency must be >= 1');
  }

  get stats() {
    return { active: this.active, queued: this.waiting.length, peak: this.peakActive };
  }

  async run(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const { signal } = options;
    if (signal?.aborted) throw abortError();
    await this.acquire(signal);
    try {
      return await this.spawnOne(cmd, args, options);
    } finally {
      this.release();
    }
  }

  /** Kills every running child and refuses queued and future work. */
  close(): void {
    this.closed = true;
    for (const child of this.children) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // not a group leader (unwrapped command)
      }
      child.kill('SIGKILL');
    }
    for (const wake of this.waiting.splice(0)) wake();
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new HttpError(503, 'Server is shutting down.', 'engine_unavailable'));
    if (this.active < this.opts.concurrency) {
      this.take();
      return Promise.resolve();
    }
    if (this.waiting.length >= (this.opts.maxQueue ?? 64)) {
      return Promise.reject(
        new HttpError(503, 'Speech engines are busy; try again shortly.', 'engine_busy', 'queue_full', { 'Retry-After': '1' }),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        if (this.closed) reject(new HttpError(503, 'Server is shutting down.', 'engine_unavailable'));
        else {
          this.take();
          resolve();
        }
      };
      const onAbort = () => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(wake);
    });
  }

  private take(): void {
    this.active++;
    this.peakActive = Math.max(this.peakActive, this.active);
  }

  private release(): void {
    this.active--;
    const next = this.waiting.shift();
    if (next) next();
  }

  private spawnOne(cmd: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const maxOut = options.maxOutputBytes ?? 128 * 1024 * 1024;
    const { signal } = options;
    const started = performance.now();
    return new Promise<RunResult>((resolve, reject) => {
      const wrapped = !!(options.realPipes?.stdin || options.realPipes?.stdout);
      const [file, argv] = wrapForRealPipes(cmd, args, options.realPipes ?? {});
      // Own process group, so a kill also reaches the helpers of a wrapped command.
      const child = spawn(file, argv, { stdio: ['pipe', 'pipe', 'pipe'], detached: wrapped });
      this.children.add(child);
      const out: Buffer[] = [];
      let outBytes = 0;
      let errText = '';
      let settled = false;
      let exited = false;
      let exitCode: number | null = null;

      const kill = () => {
        if (exited) return;
        if (wrapped && child.pid !== undefined) {
          try {
            process.kill(-child.pid, 'SIGKILL');
            return;
          } catch {
            // fall through
          }
        }
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => {
        kill();
        fail(new HttpError(504, `${cmd} did not finish within ${timeoutMs} ms.`, 'timeout', 'engine_timeout'));
      }, timeoutMs);
      const onAbort = () => {
        kill();
        fail(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      // The slot is held until the process is really gone, so the bound counts live processes.
      let exitResolve!: () => void;
      const gone = new Promise<void>((r) => (exitResolve = r));
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        cleanup();
        void gone.then(() => reject(e));
      };
      const succeed = (r: RunResult) => {
        if (settled) return;
        settled = true;
        cleanup();
        resolve(r);
      };

      const missing = () => {
        const pkg = options.debianPackage;
        return new HttpError(
          503,
          `${cmd} is not installed${pkg ? `; install the Debian package "${pkg}" (apt-get install -y ${pkg})` : ''}.`,
          'engine_unavailable',
          'engine_missing',
        );
      };
      child.on('error', (e: NodeJS.ErrnoException) => {
        exited = true;
        this.children.delete(child);
        exitResolve();
        if (e.code === 'ENOENT' || e.code === 'EACCES') {
          fail(missing());
        } else {
          fail(new HttpError(500, `Could not run ${cmd}: ${e.message}`, 'server_error', 'engine_failed'));
        }
      });
      child.on('exit', (code) => {
        exited = true;
        exitCode = code;
        this.children.delete(child);
        exitResolve();
      });
      child.stdout!.on('data', (chunk: Buffer) => {
        outBytes += chunk.length;
        if (outBytes > maxOut) {
          kill();
          fail(new HttpError(500, `${cmd} produced too much output.`, 'server_error', 'engine_failed'));
          return;
        }
        out.push(chunk);
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        if (errText.length < 4096) errText += chunk.toString('utf8');
      });
      child.on('close', () => {
        exitResolve();
        const ms = performance.now() - started;
        // bash: 127 = command not found, 126 = not executable.
        if (wrapped && (exitCode === 127 || exitCode === 126)) {
          fail(missing());
          return;
        }
        if (exitCode !== 0) {
          const detail = errText.trim().split('\n').slice(-3).join(' ').slice(0, 300);
          fail(
            new HttpError(
              500,
              `${cmd} failed (exit ${exitCode ?? 'signal'})${detail ? `: ${detail}` : ''}`,
              'server_error',
              'engine_failed',
            ),
          );
          return;
        }
        succeed({ stdout: Buffer.concat(out, Math.min(outBytes, maxOut)), stderr: errText, exitCode, ms });
      });
      // The child may exit without reading all its input (EPIPE); its exit status tells the story.
      child.stdin!.on('error', () => {});
      child.stdin!.end(options.input ?? Buffer.alloc(0));
    });
  }
}
