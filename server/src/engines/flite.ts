// Text to speech with Flite (Debian package "flite"): `flite -voice <voice> -t <text> -o /dev/stdout`.
import type { EngineContext } from './context.ts';

export const FLITE_PACKAGE = 'flite';
export const DEFAULT_VOICE = 'kal16';
/** Flite's own voices that make sense for free text (awb_time only says the time). */
const FLITE_VOICES = ['kal16', 'kal', 'slt', 'rms', 'awb'];

const voiceCache = new Map<string, Promise<Set<string>>>();

/** Voices the installed flite reports with `flite -lv` (cached per binary). */
export function installedVoices(ctx: EngineContext, signal?: AbortSignal): Promise<Set<string>> {
  const bin = ctx.binaries.flite;
  let p = voiceCache.get(bin);
  if (!p) {
    // Shared by every caller until it settles: no one caller's signal may abort it for the others
    // (a dropped speculative answer did, and the answer adopted next failed with its AbortError).
    p = ctx.pool
      .run(bin, ['-lv'], { debianPackage: FLITE_PACKAGE })
      .then((r) => {
        const list = r.stdout.toString('utf8').replace(/^.*?:/s, '').trim().split(/\s+/);
        return new Set(list.filter((v) => FLITE_VOICES.includes(v)));
      });
    voiceCache.set(bin, p);
    p.catch(() => voiceCache.delete(bin));
  }
  if (!signal) return p;
  signal.throwIfAborted();
  return Promise.race([p, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))]);
}

/**
 * Maps a requested voice to an installed Flite voice: Flite's own names (kal16, kal, slt, rms, awb)
 * are used when installed; OpenAI names (alloy, nova, ...) and anything unknown get kal16.
 */
export function resolveVoice(requested: unknown, installed: ReadonlySet<string>): string {
  const name = typeof requested === 'string' ? requested.trim().toLowerCase() : '';
  if (installed.has(name)) return name;
  if (installed.has(DEFAULT_VOICE) || installed.size === 0) return DEFAULT_VOICE;
  return [...installed][0]!;
}

/** Makes flite's `-t` argument safe: no control characters, and it must not look like an option. */
export function cleanText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/** `speed` (OpenAI's 0.25..4, 1 = normal) becomes Flite's duration_stretch = 1 / speed. */
export async function synthesize(
  ctx: EngineContext,
  text: string,
  voice: string,
  signal?: AbortSignal,
  speed = 1,
): Promise<{ wav: Buffer; ms: number }> {
  const stretch = speed === 1 ? [] : ['--setf', `duration_stretch=${(1 / speed).toFixed(4)}`];
  const r = await ctx.pool.run(ctx.binaries.flite, ['-voice', voice, ...stretch, '-t', cleanText(text), '-o', '/dev/stdout'], {
    debianPackage: FLITE_PACKAGE,
    realPipes: { stdout: true },
    ...(signal ? { signal } : {}),
  });
  return { wav: r.stdout, ms: r.ms };
}
