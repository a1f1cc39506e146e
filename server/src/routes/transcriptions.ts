// POST /v1/audio/transcriptions: multipart `file` (WAV), `model`, `language` -> {"text": "..."}.
import { readBody } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { badRequest, sendJson } from '../errors.ts';
import { transcribePcm16k } from '../engines/pocketsphinx.ts';
import { wavToPcm16Mono } from '../engines/sox.ts';
import { boundaryOf, parseMultipart } from '../multipart.ts';
import { durationS, isPcm16kMono16, parseWav } from '../wav.ts';

/** Shortest audio worth running the recogniser on. */
const MIN_AUDIO_S = 0.01;

export function isSupportedLanguage(language: string): boolean {
  return /^en(?:[-_][a-z0-9]+)*$/i.test(language.trim());
}

export async function transcriptionsRoute({ req, res, app, signal }: RequestContext): Promise<void> {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw badRequest('Expected a multipart/form-data body with a boundary.', 'invalid_content_type');
  const body = await readBody(req, app.maxAudioBytes, signal);
  const parts = parseMultipart(body, boundary);

  const language = parts.get('language')?.data.toString('utf8').trim() ?? '';
  if (language && !isSupportedLanguage(language)) {
    throw badRequest(`Unsupported language "${language}": this server recognises English (en, en-US, ...) only.`, 'unsupported_language');
  }
  const format = parts.get('response_format')?.data.toString('utf8').trim() || 'json';
  if (format !== 'json' && format !== 'text') {
    throw badRequest(`Unsupported response_format "${format}": use "json" or "text".`, 'unsupported_response_format');
  }
  const file = parts.get('file');
  if (!file) throw badRequest('Missing the "file" field (a 16 kHz mono 16-bit WAV).', 'missing_file');
  const wav = parseWav(file.data);
  if (!wav) throw badRequest('The uploaded file is not a WAV file (RIFF/WAVE with fmt and data chunks).', 'invalid_audio');
  if (wav.channels < 1 || wav.sampleRate < 1 || wav.bitsPerSample < 8) {
    throw badRequest('The WAV header is not valid.', 'invalid_audio');
  }
  if (durationS(wav) < MIN_AUDIO_S) throw badRequest('The uploaded audio is empty.', 'empty_audio');

  let pcm: Buffer;
  let convertMs = 0;
  if (isPcm16kMono16(wav)) {
    pcm = wav.data.length % 2 ? wav.data.subarray(0, wav.data.length - 1) : wav.data;
  } else {
    const t0 = performance.now();
    pcm = await wavToPcm16Mono(app.engines, file.data, 16000, signal);
    convertMs = performance.now() - t0;
    if (pcm.length < 2) throw badRequest('The uploaded audio is empty.', 'empty_audio');
  }

  const { text, ms } = await transcribePcm16k(app.engines, pcm, signal);
  const timing = `convert;dur=${convertMs.toFixed(1)}, stt;dur=${ms.toFixed(1)}`;
  if (format === 'text') {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Server-Timing': timing, 'Cache-Control': 'no-store' });
    res.end(text);
    return;
  }
  sendJson(res, 200, { text }, { 'Server-Timing': timing });
}
