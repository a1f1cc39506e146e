// POST /v1/audio/transcriptions: multipart `file` (WAV), `model`, `language`, `response_format`
// (json, text, verbose_json, srt, vtt). Proxied to the STT upstream when one is configured, else
// (or when it fails) recognised by PocketSphinx after a dither-free conversion and silence trimming.
import { readBody } from '../body.ts';
import type { RequestContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { transcribePcm16k } from '../engines/pocketsphinx.ts';
import { wavToPcm16Mono } from '../engines/sox.ts';
import { trimSilence } from '../engines/trim.ts';
import { TRANSCRIPT_FORMATS, isTranscriptFormat, sendTranscript } from '../formats/transcript-formats.ts';
import { answerWith } from '../gateway/engine-choice.ts';
import { forward, pipeResponse } from '../gateway/forward.ts';
import { boundaryOf, parseMultipart, type Part } from '../multipart.ts';
import { durationS, isPcm16kMono16, parseWav } from '../wav.ts';

/** Shortest audio worth running the recogniser on. */
const MIN_AUDIO_S = 0.01;

export function isSupportedLanguage(language: string): boolean {
  return /^en(?:[-_][a-z0-9]+)*$/i.test(language.trim());
}

/** The parts again as a form for the upstream, with the server's model when it has one. */
function upstreamForm(parts: Map<string, Part>, model: string | undefined): FormData {
  const form = new FormData();
  for (const [name, part] of parts) {
    if (name === 'model' && model) continue;
    if (part.filename !== undefined) {
      form.append(name, new Blob([part.data], { type: part.contentType ?? 'application/octet-stream' }), part.filename || 'audio.wav');
    } else form.append(name, part.data.toString('utf8'));
  }
  if (model) form.append('model', model);
  return form;
}

export async function transcriptionsRoute(ctx: RequestContext): Promise<void> {
  const { req, res, app, signal } = ctx;
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw badRequest('Expected a multipart/form-data body with a boundary.', 'invalid_content_type');
  const body = await readBody(req, app.maxAudioBytes, signal);
  const parts = parseMultipart(body, boundary);
  const format = parts.get('response_format')?.data.toString('utf8').trim() || 'json';
  if (!isTranscriptFormat(format)) {
    throw badRequest(`Unsupported response_format "${format}": use one of ${TRANSCRIPT_FORMATS.join(', ')}.`, 'unsupported_response_format');
  }
  const file = parts.get('file');
  if (!file) throw badRequest('Missing the "file" field (an audio file).', 'missing_file');

  await answerWith(
    ctx,
    'stt',
    async (up) => {
      const r = await forward(up, '/audio/transcriptions', { body: upstreamForm(parts, up.model), accept: '*/*' }, signal);
      await pipeResponse(r, res, signal, { 'Content-Type': r.headers.get('content-type') ?? 'application/json', 'Cache-Control': 'no-store' });
    },
    async () => {
      const language = parts.get('language')?.data.toString('utf8').trim() ?? '';
      if (language && !isSupportedLanguage(language)) {
        throw badRequest(`Unsupported language "${language}": this server recognises English (en, en-US, ...) only.`, 'unsupported_language');
      }
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
      const trimmed = trimSilence(pcm, 16000);
      const { text, ms } = await transcribePcm16k(app.engines, trimmed.pcm, signal);
      const timing = `convert;dur=${convertMs.toFixed(1)}, stt;dur=${ms.toFixed(1)}`;
      const transcript = { text, durationS: pcm.length / 2 / 16000, speech: { start: trimmed.start, end: trimmed.end } };
      sendTranscript(res, format, transcript, { 'Server-Timing': timing });
    },
  );
}
