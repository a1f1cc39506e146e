import { encodeWav } from '../../audio/wav.js';
import { iso639_1 } from '../remote/language.js';
import type { EngineContext } from '../engine-context.js';
import { RemoteApi, RemoteError } from '../remote/remote-api.js';
import type { SttEngine, SttRequest, SttResult } from './stt-engine.js';

/**
 * Speech-to-text over `POST {stt-endpoint}/audio/transcriptions`: the utterance as a 16 kHz mono
 * 16-bit WAV in a multipart `file`, with `model` (`stt-model`, when set) and `language` (ISO 639-1).
 */
export class RemoteStt implements SttEngine {
  readonly name = 'remote';
  private readonly api: RemoteApi;

  constructor(private readonly ctx: EngineContext) {
    this.api = new RemoteApi(ctx, 'stt');
  }

  async transcribe(request: SttRequest): Promise<SttResult> {
    const form = new FormData();
    form.set('file', new Blob([encodeWav(request.audio, request.sampleRate)], { type: 'audio/wav' }), 'utterance.wav');
    // Only what the page set: otherwise the server chooses its model (Ollama, vLLM and LocalAI
    // refuse names they do not serve). Language as ISO 639-1, as OpenAI-compatible servers want.
    if (this.ctx.config.sttModel) form.set('model', this.ctx.config.sttModel);
    const language = iso639_1(request.language);
    if (language) form.set('language', language);
    form.set('response_format', 'json');
    const res = await this.api.post({
      path: '/audio/transcriptions',
      body: form,
      signal: request.signal,
      idempotent: true,
    });
    const body = (await res.json().catch(() => ({}))) as { text?: unknown };
    if (typeof body.text !== 'string') throw new RemoteError('engine-failed', '/audio/transcriptions answered without a "text".', res.status);
    return { text: body.text.trim() };
  }
}
