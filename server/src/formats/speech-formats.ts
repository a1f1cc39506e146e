// Speech response formats as OpenAI's /v1/audio/speech has them: mp3 (the default), opus (in Ogg),
// aac (ADTS), flac, wav, and pcm (raw 24 kHz 16-bit signed little-endian mono, no header).
// https://platform.openai.com/docs/api-reference/audio/createSpeech
// Flite makes a WAV; ffmpeg (Debian package "ffmpeg") encodes the compressed ones, SoX makes pcm.
import type { EngineContext } from '../engines/context.ts';
import { wavToPcm16Mono } from '../engines/sox.ts';

export const FFMPEG_PACKAGE = 'ffmpeg';
export const SPEECH_FORMATS = ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] as const;
export type SpeechFormat = (typeof SPEECH_FORMATS)[number];
export const DEFAULT_SPEECH_FORMAT: SpeechFormat = 'mp3';
/** OpenAI's "pcm" format rate. */
export const PCM_RATE = 24000;

export const isSpeechFormat = (v: unknown): v is SpeechFormat => SPEECH_FORMATS.includes(v as SpeechFormat);

const CONTENT_TYPES: Record<SpeechFormat, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg; codecs=opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** ffmpeg output arguments per compressed format (bit rates for speech, not music). */
const FFMPEG_OUT: Record<'mp3' | 'opus' | 'aac' | 'flac', string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '64k', '-f', 'mp3'],
  opus: ['-c:a', 'libopus', '-b:a', '32k', '-f', 'ogg'],
  aac: ['-c:a', 'aac', '-b:a', '64k', '-f', 'adts'],
  flac: ['-c:a', 'flac', '-f', 'flac'],
};

export interface EncodedSpeech {
  bytes: Buffer;
  headers: Record<string, string>;
}

export async function encodeSpeech(ctx: EngineContext, wav: Buffer, format: SpeechFormat, signal?: AbortSignal): Promise<EncodedSpeech> {
  const headers: Record<string, string> = { 'Content-Type': CONTENT_TYPES[format] };
  if (format === 'wav') return { bytes: wav, headers };
  if (format === 'pcm') {
    headers['X-Sample-Rate'] = String(PCM_RATE);
    return { bytes: await wavToPcm16Mono(ctx, wav, PCM_RATE, signal), headers };
  }
  const args = ['-hide_banner', '-loglevel', 'error', '-nostats', '-f', 'wav', '-i', 'pipe:0', '-map_metadata', '-1', ...FFMPEG_OUT[format], 'pipe:1'];
  const r = await ctx.pool.run(ctx.binaries.ffmpeg, args, {
    input: wav,
    debianPackage: FFMPEG_PACKAGE,
    realPipes: { stdin: true, stdout: true },
    ...(signal ? { signal } : {}),
  });
  return { bytes: r.stdout, headers };
}
