import type * as Ort from 'onnxruntime-web/wasm';

/**
 * Silero VAD v5 (the `silero_vad_v5.onnx` file shipped by @ricky0123/vad-web) behind the small
 * `process / reset / release` interface of vad-web's `models/common.ts`. The runtime is handed
 * in, so this file knows nothing of where onnxruntime or the model come from.
 *
 * v5 takes 512 new samples at 16 kHz plus the last 64 samples of the previous frame as
 * context (silero-vad `utils_vad.py`, `OnnxWrapper.__call__`), and a [2, 1, 128] state.
 */
export type OrtRuntime = typeof Ort;

const CONTEXT = 64;

export class SileroModel {
  /** Frames processed and milliseconds spent in inference, for the real-time factor. */
  readonly stats = { frames: 0, inferenceMs: 0 };
  private state: Ort.Tensor;
  private context = new Float32Array(CONTEXT);
  private readonly input: Float32Array;

  private constructor(
    private readonly ort: OrtRuntime,
    private readonly session: Ort.InferenceSession,
    private readonly sr: Ort.Tensor,
    readonly frameSamples: number,
  ) {
    this.state = this.zeroState();
    this.input = new Float32Array(CONTEXT + frameSamples);
  }

  static async create(ort: OrtRuntime, model: ArrayBuffer | Uint8Array, frameSamples = 512): Promise<SileroModel> {
    const bytes = model instanceof Uint8Array ? model : new Uint8Array(model);
    const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const sr = new ort.Tensor('int64', BigInt64Array.from([16000n]));
    return new SileroModel(ort, session, sr, frameSamples);
  }

  /** Speech probability (0..1) of one frame of `frameSamples` samples. */
  async process(frame: Float32Array): Promise<number> {
    const t0 = performance.now();
    this.input.set(this.context, 0);
    this.input.set(frame, CONTEXT);
    this.context = frame.slice(-CONTEXT);
    const input = new this.ort.Tensor('float32', this.input.slice(), [1, this.input.length]);
    const out = await this.session.run({ input, state: this.state, sr: this.sr });
    this.state.dispose();
    this.state = out.stateN as Ort.Tensor;
    const p = Number((out.output as Ort.Tensor).data[0]);
    input.dispose();
    (out.output as Ort.Tensor).dispose();
    this.stats.frames++;
    this.stats.inferenceMs += performance.now() - t0;
    return p;
  }

  /** Forgets the recurrent state (a new stream begins). */
  reset() {
    this.state.dispose();
    this.state = this.zeroState();
    this.context = new Float32Array(CONTEXT);
  }

  async release() {
    await this.session.release();
    this.state.dispose();
    this.sr.dispose();
  }

  private zeroState() {
    return new this.ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  }
}
