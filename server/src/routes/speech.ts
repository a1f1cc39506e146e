// POST /v1/audio/speech: JSON {model, input, voice, response_format, speed?} -> audio bytes in the
// asked format (mp3 when absent, as OpenAI). Proxied to the TTS upstream when one is configured,
// else (or when it fails) spoken by Flite.
import { asObject, readJson } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { HttpError, badRequest } from '../errors.ts';
import { installedVoices, resolveVoice, synthesize } from '../engines/flite.ts';
import { DEFAULT_SPEECH_FORMAT, SPEECH_FORMATS, encodeSpeech, isSpeechFormat } from '../formats/speech-formats.ts';
import { answerWith } from '../gateway/engine-choice.ts';
import { forward, pipeResponse } from '../gateway/forward.ts';
import { parseWav } from '../wav.ts';

export const MAX_INPUT_CHARS = 4096;

export async function speechRoute(ctx: RequestContext): Promise<void> {
  const { req, res, app, signal } = ctx;
  const body = asObject(await readJson(req, app.maxJsonBytes, signal));
  const { input, voice } = body;
  if (typeof input !== 'string' || !input.trim()) throw badRequest('"input" must be a non-empty string.', 'invalid_input');
  if (input.length > MAX_INPUT_CHARS) {
    throw badRequest(`"input" is ${input.length} characters; the limit is ${MAX_INPUT_CHARS}.`, 'input_too_long');
  }
  const format = body.response_format ?? DEFAULT_SPEECH_FORMAT;
  if (!isSpeechFormat(format)) {
    throw badRequest(`Unsupported response_format ${JSON.stringify(format)}: use one of ${SPEECH_FORMATS.join(', ')}.`, 'unsupported_response_format');
  }
  if (voice !== undefined && typeof voice !== 'string') throw badRequest('"voice" must be a string.', 'invalid_voice');
  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4)) {
    throw badRequest('"speed" must be a number from 0.25 to 4.', 'invalid_speed');
  }

  await answerWith(
    ctx,
    'tts',
    async (up) => {
      const payload = { ...body, response_format: format, ...(up.model ? { model: up.model } : {}), ...(up.voice ? { voice: up.voice } : {}) };
      const r = await forward(up, '/audio/speech', { body: JSON.stringify(payload), contentType: 'application/json', accept: '*/*' }, signal);
      await pipeResponse(r, res, signal, { 'Content-Type': r.headers.get('content-type') ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    },
    async () => {
      const flite = resolveVoice(voice, await installedVoices(app.engines, signal));
      const { wav, ms } = await synthesize(app.engines, input, flite, signal, speed);
      if (!parseWav(wav)) throw new HttpError(500, 'flite did not produce a WAV file.', 'server_error', 'engine_failed');
      const t0 = performance.now();
      const { bytes, headers } = await encodeSpeech(app.engines, wav, format, signal);
      res.writeHead(200, {
        ...headers,
        'Cache-Control': 'no-store',
        'X-Voice': flite,
        'Server-Timing': `tts;dur=${ms.toFixed(1)}, encode;dur=${(performance.now() - t0).toFixed(1)}`,
        'Content-Length': String(bytes.length),
      });
      res.end(bytes);
    },
  );
}
