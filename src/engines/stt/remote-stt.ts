import { encodeWav } from '../../audio/wav.js';
import type { EngineContext } from '../engine-context.js';
import { RemoteApi, RemoteError } from '../remote/remote-api.js';
import type { SttEngine, SttRequest, SttResult } from './stt-engine.js';

/**
 * Speech-to-text over `POST {endpoint}/audio/transcriptions`: the utterance as a 16 kHz mono
 * 16-bit WAV in a multipart `file`, with `model` (`stt-model`) and `language`.
 */
export class RemoteStt implements SttEngine {
  readonly name = 'remote';
  private readonly api: RemoteApi;

  constructor(private readonly ctx: EngineContext) {
    this.api = new RemoteApi(ctx);
  }

  async transcribe(request: SttRequest): Promise<SttResult> {
    const form = new FormData();
    form.set('file', new Blob([encodeWav(request.audio, request.sampleRate)], { type: 'audio/wav' }), 'utterance.wav');
    form.set('model', this.ctx.config.sttModel ?? 'whisper-1');
    form.set('language', request.language);
    form.set('response_format', 'json');
    const res = await this.api.post({
      path: '/audio/transcriptions',
      body: form,
      signal: request.signal,
      idempotent: true,
      timeoutMs: 15_000 + (request.audio.length / request.sampleRate) * 1000,
    });
    const body = (await res.json().catch(() => ({}))) as { text?: unknown };
    if (typeof body.text !== 'string') throw new RemoteError('engine-failed', '/audio/transcriptions answered without a "text".', res.status);
    return { text: body.text.trim() };
  }
}
