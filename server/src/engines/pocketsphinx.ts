// Speech to text with PocketSphinx (Debian packages "pocketsphinx" and "pocketsphinx-en-us"):
// 16 kHz mono 16-bit PCM piped into `pocketsphinx_continuous -infile /dev/stdin -logfn /dev/null`.
import { existsSync } from 'node:fs';
import { HttpError } from '../errors.ts';
import type { EngineContext } from './context.ts';
import { DEFAULT_BINARIES } from './context.ts';

export const POCKETSPHINX_PACKAGE = 'pocketsphinx';
export const MODEL_PACKAGE = 'pocketsphinx-en-us';
const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us/en-us';

/** Transcribes raw 16 kHz mono s16le PCM; one line per utterance on stdout, joined with spaces. */
export async function transcribePcm16k(
  ctx: EngineContext,
  pcm: Buffer,
  signal?: AbortSignal,
): Promise<{ text: string; ms: number }> {
  if (ctx.sphinx) return ctx.sphinx.transcribe(pcm, signal ? { signal } : {});
  try {
    const r = await ctx.pool.run(ctx.binaries.pocketsphinx, ['-infile', '/dev/stdin', '-logfn', '/dev/null'], {
      input: pcm,
      debianPackage: POCKETSPHINX_PACKAGE,
      realPipes: { stdin: true },
      ...(signal ? { signal } : {}),
    });
    const text = r.stdout
      .toString('utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .join(' ');
    return { text, ms: r.ms };
  } catch (e) {
    // The binary ran but could not load its acoustic model: say which package provides it.
    if (
      e instanceof HttpError &&
      e.code === 'engine_failed' &&
      ctx.binaries.pocketsphinx === DEFAULT_BINARIES.pocketsphinx &&
      !existsSync(DEFAULT_MODEL_DIR)
    ) {
      throw new HttpError(
        503,
        `The PocketSphinx English model is missing; install the Debian package "${MODEL_PACKAGE}" (apt-get install -y ${MODEL_PACKAGE}).`,
        'engine_unavailable',
        'engine_missing',
      );
    }
    throw e;
  }
}
