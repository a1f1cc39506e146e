import { VoiceAssistantError } from '../errors.js';
import { startWorker } from '../internal/cross-origin-worker.js';
import { blockedByCsp } from '../internal/csp.js';
import { SEGMENTER_DEFAULTS, type SegmenterOptions } from './segmenter.js';
import type { FromWorker, ToWorker, VadStats } from './vad-protocol.js';
import workerUrl from './vad.worker.ts?worker&url';

/** One utterance as the VAD cut it: 16 kHz mono samples and where they sit in time. */
export interface Utterance {
  readonly audio: Float32Array;
  readonly sampleRate: 16000;
  /** Speech start and end, milliseconds since the microphone opened. */
  readonly startMs: number;
  readonly endMs: number;
  readonly audioStartMs: number;
  readonly reason: 'silence' | 'max-length';
}

export interface VadCallbacks {
  /** A frame crossed the threshold: speech may be starting (confirmed by `onSpeechStart`). */
  onSpeechOnset?(at: number): void;
  onSpeechStart(at: number): void;
  onSpeechEnd(utterance: Utterance): void;
  /** The user has been silent for the segmenter's `pauseMs`: the utterance so far (speculative). */
  onSpeechPause?(utterance: Utterance): void;
  /** Speech went on after a pause: the utterance continues. */
  onSpeechResume?(at: number): void;
  /**
   * The speech detector could not load: what the microphone captured meanwhile, as one piece of
   * 16 kHz audio (called before `create()` rejects), so that it can still be transcribed.
   */
  onUnsegmented?(audio: Float32Array): void;
  onError(error: VoiceAssistantError): void;
  /** Transport `realtime` (after `stream(true)`): each frame as 24 kHz PCM16 base64, in order with the events. */
  onPcm?(base64: string): void;
}

export interface VadClientOptions {
  /** The model's bytes; the worker starts (and queues frames from `port`) while they download. */
  model: Promise<ArrayBuffer>;
  /** onnxruntime's wasm bytes (verified; transferred to the worker). */
  wasm: Promise<ArrayBuffer>;
  /** The port the capture worklet posts its frames to. */
  port: MessagePort;
  /** Folder holding ort-wasm-simd-threaded.{mjs,wasm}, with a trailing slash. */
  wasmPaths: string;
  segmenter: SegmenterOptions;
  /** Frames kept while the model loads (default: max-utterance-s plus pre-roll). */
  keep?: number;
  callbacks: VadCallbacks;
  signal?: AbortSignal;
}

/**
 * The main thread's handle on the VAD worker: starts it (through a same-origin `blob:` module
 * when the build is served from another origin, see cross-origin-worker.ts), loads the model
 * into it, and turns its messages into callbacks.
 */
export class VadClient {
  private readonly worker: Worker;
  private pending = new Map<string, (m: FromWorker) => void>();
  private alive = true;

  private constructor(private readonly callbacks: VadCallbacks) {
    this.worker = startWorker(new URL(workerUrl, import.meta.url).href);
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault();
      const error = new VoiceAssistantError('asset-load', `The speech detector could not start: ${e.message || 'worker error'}.`);
      this.fail(blockedByCsp(error, 'speech detector (its worker)') ?? error);
    };
  }

  /** Starts the worker and loads the model into it; resolves when it is ready for frames. */
  /**
   * Starts the worker and hands it the frame port at once (frames are kept from the first one);
   * `ready` settles when the model is loaded. Listening may move to a new port (`listen()`)
   * while it loads.
   */
  static start(o: VadClientOptions): VadClient {
    const client = new VadClient(o.callbacks);
    client.downloaded = Promise.all([o.model, o.wasm]).then(() => undefined);
    client.downloaded.catch(() => undefined); // `ready` reports it
    client.ready = client.load(o);
    client.ready.catch(() => undefined); // the owner handles it
    return client;
  }

  /** Starts the worker and resolves when it is ready for frames (or rejects, terminated). */
  static async create(o: VadClientOptions): Promise<VadClient> {
    const client = VadClient.start(o);
    await client.ready;
    return client;
  }

  /** Settles when the model is loaded (rejects, after handing back the kept audio, if it cannot). */
  ready: Promise<void> = Promise.resolve();
  /** Settles when the model's and the runtime's bytes are in (downloaded or from Cache Storage), before the worker compiles them. */
  downloaded: Promise<void> = Promise.resolve();

  private async load(o: VadClientOptions): Promise<void> {
    const client = this;
    const abort = () => client.terminate();
    o.signal?.addEventListener('abort', abort, { once: true });
    try {
      const frames = (1000 * o.segmenter.maxUtteranceS + (o.segmenter.preRollMs ?? SEGMENTER_DEFAULTS.preRollMs)) / 32;
      client.send({ type: 'port', port: o.port, keep: o.keep ?? Math.ceil(frames) }, [o.port]);
      const ready = client.reply('ready');
      ready.catch(() => undefined); // awaited below; a failure while the model downloads is not unhandled
      const [model, wasm] = await Promise.all([o.model, o.wasm]);
      if (!client.alive) throw new VoiceAssistantError('aborted', 'Listening was stopped while the speech detector loaded.');
      // The model is not transferred: the worker gets a copy and the caller keeps the bytes for the next start.
      // The runtime is transferred (14 MB; the next worker reads it from Cache Storage).
      client.send({ type: 'init', model, wasm, wasmPaths: o.wasmPaths, options: o.segmenter }, [wasm]);
      await ready;
    } catch (e) {
      // Nothing the user said while it loaded is dropped: it goes on unsegmented.
      const audio = o.signal?.aborted ? undefined : await client.flush();
      if (audio?.length) o.callbacks.onUnsegmented?.(audio);
      client.terminate();
      throw e;
    } finally {
      o.signal?.removeEventListener('abort', abort);
    }
  }

  /**
   * Listening starts again on this warm worker (its model loaded, its code optimised): the
   * last stream is forgotten and frames come from `port`, segmented with `options`.
   */
  listen(port: MessagePort, options: SegmenterOptions) {
    this.send({ type: 'reset', options });
    this.send({ type: 'port', port }, [port]);
  }

  /** Changes the threshold and minimum speech length live (the echo guard). */
  configure(options: Partial<Pick<SegmenterOptions, 'threshold' | 'minSpeechMs'>>) {
    this.send({ type: 'configure', options });
  }

  /** The frames waiting in the worker, taken out as one piece of audio (empty if it is gone). */
  private async flush(): Promise<Float32Array> {
    if (!this.alive) return new Float32Array(0);
    const reply = this.reply('flushed');
    this.send({ type: 'flush' });
    const m = await Promise.race([reply, new Promise<undefined>((r) => setTimeout(r, 1000))]).catch(() => undefined);
    return m?.type === 'flushed' ? m.audio : new Float32Array(0);
  }

  /** Inference time against audio time, measured inside the worker. */
  async stats(): Promise<VadStats> {
    const reply = this.reply('stats');
    this.send({ type: 'stats' });
    return ((await reply) as Extract<FromWorker, { type: 'stats' }>).stats;
  }

  /** Releases the ONNX session and ends the worker; safe to call twice. */
  terminate() {
    if (!this.alive) return;
    this.alive = false;
    this.worker.postMessage({ type: 'release' } satisfies ToWorker);
    // The release is best effort: the worker ends now, which frees its memory in any case.
    this.worker.terminate();
    for (const resolve of this.pending.values()) resolve({ type: 'error', message: 'The speech detector was stopped.' });
    this.pending.clear();
  }

  get terminated() {
    return !this.alive;
  }

  /** Transport `realtime`: frames are posted as protocol audio too (`onPcm`) while on. */
  stream(on: boolean): void {
    this.send({ type: 'stream', on });
  }

  private send(m: ToWorker, transfer: Transferable[] = []) {
    if (this.alive) this.worker.postMessage(m, transfer);
  }

  private reply(type: FromWorker['type']): Promise<FromWorker> {
    return new Promise((resolve, reject) =>
      this.pending.set(type, (m) =>
        m.type === 'error' ? reject(new VoiceAssistantError('asset-load', `The speech detector could not start: ${m.message}`)) : resolve(m),
      ),
    );
  }

  private receive(m: FromWorker) {
    const waiting = this.pending.get(m.type) ?? (m.type === 'error' ? this.pending.get('ready') : undefined);
    if (waiting) {
      this.pending.delete(m.type === 'error' ? 'ready' : m.type);
      return waiting(m);
    }
    if (m.type === 'onset') {
      this.callbacks.onSpeechOnset?.(m.at);
    } else if (m.type === 'start') {
      this.callbacks.onSpeechStart(m.at);
    } else if (m.type === 'end' || m.type === 'pause') {
      const { audio, at, durationMs, reason, audioStartMs } = m;
      const u: Utterance = { audio, sampleRate: 16000, startMs: at - durationMs, endMs: at, audioStartMs, reason };
      if (m.type === 'end') this.callbacks.onSpeechEnd(u);
      else this.callbacks.onSpeechPause?.(u);
    } else if (m.type === 'pcm') {
      this.callbacks.onPcm?.(m.audio);
    } else if (m.type === 'resume') {
      this.callbacks.onSpeechResume?.(m.at);
    } else if (m.type === 'error') {
      this.fail(new VoiceAssistantError('engine-failed', `The speech detector failed: ${m.message}`));
    }
  }

  private fail(error: VoiceAssistantError) {
    for (const resolve of this.pending.values()) resolve({ type: 'error', message: error.message });
    this.pending.clear();
    if (this.alive) this.callbacks.onError(error);
  }
}
