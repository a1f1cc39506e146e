import { decodeWav } from '../../audio/wav.js';
import type { EngineContext } from '../engine-context.js';
import { RemoteApi, RemoteError } from '../remote/remote-api.js';
import type { PcmAudio, TtsEngine, TtsRequest } from './tts-engine.js';

/**
 * Text-to-speech over `POST {tts-endpoint}/audio/speech` with `{input, response_format: "wav"}` and
 * `model`/`voice` when set; a WAV is decoded here (its sample rate kept), any other format with
 * the browser's `decodeAudioData`.
 */
export class RemoteTts implements TtsEngine {
  readonly name = 'remote';
  private readonly api: RemoteApi;

  constructor(private readonly ctx: EngineContext) {
    this.api = new RemoteApi(ctx, 'tts');
  }

  async available(): Promise<boolean> {
    return this.api.configured;
  }

  async synthesize(request: TtsRequest): Promise<PcmAudio> {
    const model = this.ctx.config.ttsModel;
    const voice = request.voice ?? this.ctx.config.voice;
    const body = JSON.stringify({ ...(model ? { model } : {}), input: request.text, ...(voice ? { voice } : {}), response_format: 'wav' });
    const res = await this.api.post({
      path: '/audio/speech',
      body,
      headers: { 'content-type': 'application/json' },
      signal: request.signal,
      idempotent: true,
    });
    const bytes = await res.arrayBuffer();
    // A server that ignores response_format answers mp3, opus, aac...: the browser decodes those.
    if (!isWav(bytes)) return decodeOther(bytes, res.status);
    let wav;
    try {
      wav = decodeWav(bytes);
    } catch (e) {
      throw new RemoteError('engine-failed', `/audio/speech answered a WAV file that cannot be read: ${(e as Error).message}`, res.status);
    }
    // Cut-off audio would drop the end of the sentence: the next engine says all of it instead.
    if (wav.truncated) throw new RemoteError('engine-failed', '/audio/speech sent less audio than its WAV header announced.', res.status);
    return { kind: 'pcm', samples: wav.samples, sampleRate: wav.sampleRate };
  }
}

const isWav = (b: ArrayBuffer) => b.byteLength >= 12 && String.fromCharCode(...new Uint8Array(b, 0, 4)) === 'RIFF';

/** Decodes any format the browser can (mp3, opus, aac, flac...) at 24 kHz, mixed to mono. */
async function decodeOther(bytes: ArrayBuffer, status: number): Promise<PcmAudio> {
  const sampleRate = 24000;
  let buffer: AudioBuffer;
  try {
    buffer = await new OfflineAudioContext(1, 1, sampleRate).decodeAudioData(bytes);
  } catch (e) {
    throw new RemoteError('engine-failed', `/audio/speech answered audio this browser cannot decode: ${(e as Error).message}`, status);
  }
  const samples = new Float32Array(buffer.length);
  for (let c = 0; c < buffer.numberOfChannels; c++) {
    const data = buffer.getChannelData(c);
    for (let i = 0; i < data.length; i++) samples[i]! += data[i]! / buffer.numberOfChannels;
  }
  return { kind: 'pcm', samples, sampleRate: buffer.sampleRate };
}
