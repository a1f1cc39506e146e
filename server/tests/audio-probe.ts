// What an audio file really is, by ffprobe (Debian package "ffmpeg"): codec, sample rate, duration.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.ts';

export interface Probe {
  format: string;
  codec: string;
  sampleRate: number;
  channels: number;
  durationS: number;
}

export function probe(bytes: Buffer, inputFormat?: string[]): Probe {
  const { dir, cleanup } = tempDir('va-probe-');
  try {
    const file = join(dir, 'audio');
    writeFileSync(file, bytes);
    const out = execFileSync('ffprobe', ['-v', 'error', ...(inputFormat ?? []), '-show_format', '-show_streams', '-of', 'json', file], { encoding: 'utf8' });
    const j = JSON.parse(out) as { format: { format_name: string; duration?: string }; streams: { codec_name: string; sample_rate: string; channels: number; duration?: string }[] };
    const s = j.streams[0]!;
    // A FLAC written to a pipe carries no total length: decode it and count the samples.
    const decoded = () => execFileSync('ffmpeg', ['-v', 'error', ...(inputFormat ?? []), '-i', file, '-f', 's16le', '-ac', '1', '-ar', '16000', '-'], { maxBuffer: 1 << 28 }).length / 32000;
    return {
      format: j.format.format_name,
      codec: s.codec_name,
      sampleRate: Number(s.sample_rate),
      channels: s.channels,
      durationS: Number(j.format.duration ?? s.duration ?? NaN) || decoded(),
    };
  } finally {
    cleanup();
  }
}
