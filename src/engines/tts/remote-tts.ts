import { decodeWav } from '../../audio/wav.js';
import type { EngineContext } from '../engine-context.js';
import { RemoteApi, RemoteError } from '../remote/remote-api.js';
import type { PcmAudio, TtsEngine, TtsRequest } from './tts-engine.js';

/**
 * Text-to-speech over `POST {endpoint}/audio/speech` with `{model, input, voice,
 * response_format: "wav"}`; the WAV is decoded here (no `decodeAudioData`, so no AudioContext
 * is needed and the sample rate is kept).
 */
export class RemoteTts implements TtsEngine {
  readonly name = 'remote';
  private readonly api: RemoteApi;

  constructor(private readonly ctx: EngineContext) {
    this.api = new RemoteApi(ctx);
  }

  async available(): Promise<boolean> {
    return this.api.configured;
  }

  async synthesize(request: TtsRequest): Promise<PcmAudio> {
    const body = JSON.stringify({
      model: this.ctx.config.ttsModel ?? 'tts-1',
      input: request.text,
      voice: request.voice ?? this.ctx.config.voice ?? 'alloy',
      response_format: 'wav',
    });
    const res = await this.api.post({
      path: '/audio/speech',
      body,
      headers: { 'content-type': 'application/json' },
      signal: request.signal,
      idempotent: true,
      timeoutMs: 15_000,
    });
    const bytes = await res.arrayBuffer();
    let wav;
    try {
      wav = decodeWav(bytes);
    } catch (e) {
      throw new RemoteError('engine-failed', `/audio/speech did not answer a WAV file: ${(e as Error).message}`, res.status);
    }
    // Cut-off audio would drop the end of the sentence: the next engine says all of it instead.
    if (wav.truncated) throw new RemoteError('engine-failed', '/audio/speech sent less audio than its WAV header announced.', res.status);
    return { kind: 'pcm', samples: wav.samples, sampleRate: wav.sampleRate };
  }
}
