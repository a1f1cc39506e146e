// Streaming recognisers for the realtime endpoint: sphinx_worker.py --stream decodes one utterance
// incrementally as its audio arrives (process_raw per chunk, a partial hypothesis after each), so a
// partial transcript costs what the new audio costs, and the final one is ready as soon as the
// utterance ends (measured: ~10-50 ms per 100 ms chunk and ~50 ms for the final, against ~450 ms for
// a one-shot decode of a 2 s question). Each realtime session leases one for its lifetime (a
// process each: ~115 MB; at most `max` at once, then sessions fall back to re-decoding with the
// shared warm recognisers); after the first lease one spare is kept loaded, so that a new session
// does not wait for the model (~0.4 s).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./sphinx_worker.py', import.meta.url));
const PYTHON = '/usr/bin/python3';

export interface Hypothesis {
  text: string;
  /** Decoding time in the recogniser. */
  ms: number;
}

/** One streaming recogniser process: requests are answered in order, one JSON line each. */
export class StreamRecogniser {
  /** Resolves when the model is loaded. */
  readonly ready: Promise<void>;
  private readonly child: ChildProcess;
  private readonly waiting: { ok(line: string): void; fail(e: Error): void }[] = [];
  private alive = true;
  /** Told once when the process ends (closed, crashed or killed). */
  onExit?: () => void;

  constructor(python = PYTHON) {
    this.child = spawn(python, [SCRIPT, '--stream'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child.unref();
    (this.child.stdin as unknown as { unref?(): void }).unref?.();
    (this.child.stdout as unknown as { unref?(): void }).unref?.();
    this.child.stdin!.on('error', () => undefined); // a dead process: its exit handler deals with it
    this.ready = new Promise<void>((ok, fail) => this.waiting.push({ ok: () => ok(), fail }));
    this.ready.catch(() => undefined);
    let buffered = '';
    this.child.stdout!.setEncoding('utf8');
    this.child.stdout!.on('data', (chunk: string) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        this.waiting.shift()?.ok(line);
      }
    });
    this.child.once('exit', () => {
      this.alive = false;
      for (const w of this.waiting.splice(0)) w.fail(new Error('the streaming recogniser stopped'));
      this.onExit?.();
    });
  }

  get open(): boolean {
    return this.alive;
  }

  /** Starts a new utterance (ending one under way). */
  start(): Promise<void> {
    return this.request('S').then(() => undefined);
  }

  /** Feeds 16 kHz mono PCM16; resolves with the hypothesis of the utterance so far. */
  feed(pcm: Buffer): Promise<Hypothesis> {
    return this.request('A', pcm).then(hypothesis);
  }

  /** Ends the utterance; resolves with its final hypothesis. */
  end(): Promise<Hypothesis> {
    return this.request('E').then(hypothesis);
  }

  close(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private request(op: 'S' | 'A' | 'E', data: Buffer = Buffer.alloc(0)): Promise<string> {
    if (!this.alive) return Promise.reject(new Error('the streaming recogniser stopped'));
    return new Promise<string>((ok, fail) => {
      this.waiting.push({ ok, fail });
      const head = Buffer.alloc(5);
      head.write(op, 0, 'latin1');
      head.writeUInt32LE(data.length, 1);
      this.child.stdin!.write(Buffer.concat([head, data]));
    });
  }
}

const hypothesis = (line: string): Hypothesis => {
  const r = JSON.parse(line) as { text?: string; ms?: number; error?: string };
  if (r.error) throw new Error(r.error);
  return { text: (r.text ?? '').trim(), ms: r.ms ?? 0 };
};

export class SphinxStreams {
  /** Processes started, leases given, leases refused (all `max` in use). */
  readonly counts = { started: 0, leased: 0, refused: 0 };
  private spare?: StreamRecogniser;
  private readonly leased = new Set<StreamRecogniser>();
  private closed = false;

  /** Nothing starts before the first lease (most servers never see a realtime session). */
  constructor(private readonly o: { max: number; python?: string }) {}

  get stats() {
    return { ...this.counts, open: this.leased.size, max: this.o.max };
  }

  /** A loaded (or loading) streaming recogniser for one session; undefined when `max` are leased. */
  lease(): StreamRecogniser | undefined {
    if (this.closed || this.leased.size >= this.o.max) {
      this.counts.refused++;
      return undefined;
    }
    const r = this.spare?.open ? this.spare : this.spawn();
    this.spare = undefined;
    this.leased.add(r);
    this.counts.leased++;
    r.onExit = () => this.leased.delete(r);
    if (this.leased.size < this.o.max) this.spare = this.spawn();
    return r;
  }

  close(): void {
    this.closed = true;
    this.spare?.close();
    for (const r of this.leased) r.close();
  }

  private spawn(): StreamRecogniser {
    this.counts.started++;
    return new StreamRecogniser(this.o.python);
  }
}
