// Transcription response formats as OpenAI's /v1/audio/transcriptions has them: json, text,
// verbose_json (task, language, duration, text, segments), srt and vtt.
// https://platform.openai.com/docs/api-reference/audio/createTranscription
// PocketSphinx gives no word times here: the one segment spans the speech found in the audio
// (leading and trailing silence trimmed), which is what srt/vtt show.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../errors.ts';

export const TRANSCRIPT_FORMATS = ['json', 'text', 'verbose_json', 'srt', 'vtt'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];
export const isTranscriptFormat = (v: unknown): v is TranscriptFormat => TRANSCRIPT_FORMATS.includes(v as TranscriptFormat);

export interface Transcript {
  text: string;
  /** Seconds of audio received. */
  durationS: number;
  /** Where the speech starts and ends, in seconds. */
  speech: { start: number; end: number };
}

function clock(s: number, sep: ',' | '.'): string {
  const ms = Math.round(s * 1000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(Math.floor(ms / 3_600_000))}:${p(Math.floor(ms / 60_000) % 60)}:${p(Math.floor(ms / 1000) % 60)}${sep}${p(ms % 1000, 3)}`;
}

const round = (s: number) => Math.round(s * 1000) / 1000;

export function verboseJson(t: Transcript) {
  const segments = t.text
    ? [
        {
          id: 0,
          seek: 0,
          start: round(t.speech.start),
          end: round(t.speech.end),
          text: t.text,
          tokens: [] as number[],
          temperature: 0,
          avg_logprob: 0,
          compression_ratio: 1,
          no_speech_prob: 0,
        },
      ]
    : [];
  return { task: 'transcribe', language: 'english', duration: round(t.durationS), text: t.text, segments };
}

export function srt(t: Transcript): string {
  return t.text ? `1\n${clock(t.speech.start, ',')} --> ${clock(t.speech.end, ',')}\n${t.text}\n\n` : '';
}

export function vtt(t: Transcript): string {
  return `WEBVTT\n\n${t.text ? `${clock(t.speech.start, '.')} --> ${clock(t.speech.end, '.')}\n${t.text}\n\n` : ''}`;
}

export function sendTranscript(res: ServerResponse, format: TranscriptFormat, t: Transcript, headers: Record<string, string>): void {
  if (format === 'json') return sendJson(res, 200, { text: t.text }, headers);
  if (format === 'verbose_json') return sendJson(res, 200, verboseJson(t), headers);
  const body = format === 'text' ? t.text : format === 'srt' ? srt(t) : vtt(t);
  const type = format === 'vtt' ? 'text/vtt' : 'text/plain';
  res.writeHead(200, { ...headers, 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}
