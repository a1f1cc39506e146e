// POST /v1/audio/speech: JSON {model, input, voice, response_format: "wav"|"pcm", speed?} -> audio bytes.
import { asObject, readJson } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { HttpError, badRequest } from '../errors.ts';
import { installedVoices, resolveVoice, synthesize } from '../engines/flite.ts';
import { wavToPcm16Mono } from '../engines/sox.ts';
import { parseWav } from '../wav.ts';

export const MAX_INPUT_CHARS = 4096;
/** OpenAI's "pcm" format: raw 24 kHz 16-bit signed little-endian mono. */
const PCM_RATE = 24000;

export async function speechRoute({ req, res, app, signal }: RequestContext): Promise<void> {
  const body = asObject(await readJson(req, app.maxJsonBytes, signal));
  const { input, voice } = body;
  if (typeof input !== 'string' || !input.trim()) throw badRequest('"input" must be a non-empty string.', 'invalid_input');
  if (input.length > MAX_INPUT_CHARS) {
    throw badRequest(`"input" is ${input.length} characters; the limit is ${MAX_INPUT_CHARS}.`, 'input_too_long');
  }
  const format = body.response_format ?? 'wav';
  if (format !== 'wav' && format !== 'pcm') {
    throw badRequest(`Unsupported response_format ${JSON.stringify(format)}: this server produces "wav" or "pcm".`, 'unsupported_response_format');
  }
  if (voice !== undefined && typeof voice !== 'string') throw badRequest('"voice" must be a string.', 'invalid_voice');
  const speed = body.speed ?? 1;
  if (typeof speed !== 'number' || !(speed >= 0.25 && speed <= 4)) {
    throw badRequest('"speed" must be a number from 0.25 to 4.', 'invalid_speed');
  }

  const flite = resolveVoice(voice, await installedVoices(app.engines, signal));
  const { wav, ms } = await synthesize(app.engines, input, flite, signal, speed);
  const info = parseWav(wav);
  if (!info) throw new HttpError(500, 'flite did not produce a WAV file.', 'server_error', 'engine_failed');

  const headers: Record<string, string> = {
    'Cache-Control': 'no-store',
    'X-Voice': flite,
    'Server-Timing': `tts;dur=${ms.toFixed(1)}`,
  };
  let bytes: Buffer;
  if (format === 'pcm') {
    bytes = await wavToPcm16Mono(app.engines, wav, PCM_RATE, signal);
    headers['Content-Type'] = 'audio/pcm';
    headers['X-Sample-Rate'] = String(PCM_RATE);
  } else {
    bytes = wav;
    headers['Content-Type'] = 'audio/wav';
  }
  headers['Content-Length'] = String(bytes.length);
  res.writeHead(200, headers);
  res.end(bytes);
}
