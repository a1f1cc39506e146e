import { VoiceAssistantError } from '../../errors.js';
import { startWorker } from '../../internal/cross-origin-worker.js';
import { fetchAsset } from '../../internal/asset-download.js';
import type { Progress } from '../../internal/loader.js';
import { LazyWorker } from '../../internal/lazy-worker.js';
import { WorkerRpc } from '../../internal/worker-rpc.js';
import type { EngineContext } from '../engine-context.js';
import type { SphinxResult } from './sphinx.worker.js';
import type { SttEngine, SttRequest, SttResult } from './stt-engine.js';

/** Files in the asset folder (dist/ or `asset-base`), copied there by the build under fixed names. */
export const SPHINX_FILES = {
  worker: 'sphinx-worker.js',
  wasm: 'soundswallower.wasm',
  modelFolder: 'sphinx-en-us/',
  /** What the decoder reads of soundswallower's `model/en-us` (README.txt, the licence, is not fetched). */
  model: ['feat_params.json', 'mdef', 'transition_matrices', 'means', 'variances', 'sendump', 'noisedict.txt', 'dict.txt'],
} as const;

export const NO_GRAMMAR_MESSAGE = 'Open dictation needs a remote engine; the local recogniser only knows a grammar (e.g. commands).';

/**
 * `stt="local"`: PocketSphinx (`soundswallower`) in a Worker, offline, recognising against a
 * grammar: `request.grammar` (the `commands` in command mode, or a grammar the page sets).
 * Without a grammar it says plainly that open dictation needs a remote engine, so the chain
 * moves on. Speech that matches no phrase comes back as an empty transcript, not as the
 * nearest command. Nothing is fetched before the first utterance (or `preload()`).
 * @example
 * const stt = new LocalStt(ctx);
 * const { text } = await stt.transcribe({ audio, sampleRate: 16000, language: 'en-US', grammar: ['lights on', 'lights off'], signal });
 */
export class LocalStt implements SttEngine {
  readonly name = 'local';
  private readonly worker = new LazyWorker(() => this.start());

  constructor(private readonly ctx: EngineContext) {}

  async preload(): Promise<void> {
    await this.worker.get();
  }

  async transcribe(request: SttRequest): Promise<SttResult> {
    request.signal.throwIfAborted();
    if (!request.grammar?.length) throw new VoiceAssistantError('engine-failed', NO_GRAMMAR_MESSAGE, true);
    if (!/^en\b/i.test(request.language)) {
      throw new VoiceAssistantError('engine-failed', `The local recogniser only has an English (en-US) model, not ${request.language}.`, true);
    }
    const rpc = await this.worker.get();
    // A copy goes to the worker: the chain may hand the same audio to the next engine.
    const audio = request.audio.slice();
    const r = await rpc.call<SphinxResult>({ type: 'recognize', audio, grammar: [...request.grammar] }, [audio.buffer], request.signal);
    if (r.skipped.length) this.ctx.debug('local stt: phrases the dictionary cannot spell were left out', r.skipped);
    this.ctx.debug('local stt', { hypothesis: r.hypothesis, text: r.text, seconds: audio.length / 16000, decodeMs: Math.round(r.decodeMs) });
    return { text: r.text };
  }

  dispose(): void {
    this.worker.dispose();
  }

  private async start(): Promise<WorkerRpc> {
    const files = [SPHINX_FILES.wasm, ...SPHINX_FILES.model.map((f) => SPHINX_FILES.modelFolder + f)];
    const seen = new Map<string, Progress>();
    const report = (file: string) => (p: Progress) => {
      seen.set(file, p);
      let loaded = 0;
      let total = 0;
      for (const q of seen.values()) (loaded += q.loaded), (total += q.total);
      this.ctx.progress({ label: 'the speech recognition model (PocketSphinx)', loaded, total });
    };
    const bytes = await Promise.all(files.map((f) => fetchAsset(this.ctx.assetUrl(f), f, { onProgress: report(f), name: f })));
    this.ctx.progress(null);
    const [wasm, ...modelBytes] = bytes as [ArrayBuffer, ...ArrayBuffer[]];
    const model = Object.fromEntries(SPHINX_FILES.model.map((f, i) => [f, modelBytes[i]!]));
    const rpc = new WorkerRpc(startWorker(this.ctx.assetUrl(SPHINX_FILES.worker), { name: 'sphinx' }), 'Local speech recognition');
    try {
      await rpc.call({ type: 'init', wasm, model }, bytes);
      return rpc;
    } catch (e) {
      rpc.terminate();
      throw e;
    }
  }
}
