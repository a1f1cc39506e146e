// Audio conversion with SoX (Debian package "sox").
import type { EngineContext } from './context.ts';

export const SOX_PACKAGE = 'sox';

/**
 * Converts any WAV that SoX reads to raw 16-bit signed little-endian mono PCM at `rate`.
 * `-D`: no dither, so the same input always gives the same samples (and the same transcript).
 */
export async function wavToPcm16Mono(
  ctx: EngineContext,
  wav: Buffer,
  rate: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  const args = ['-q', '-D', '-t', 'wav', '-', '-t', 'raw', '-r', String(rate), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'];
  const r = await ctx.pool.run(ctx.binaries.sox, args, {
    input: wav,
    debianPackage: SOX_PACKAGE,
    ...(signal ? { signal } : {}),
  });
  return r.stdout;
}
