import type { VoiceConfig } from '../../../src/config/config.js';
import type { EngineContext } from '../../../src/engines/engine-context.js';
import type { Progress } from '../../../src/internal/loader.js';

/**
 * An EngineContext for the local engines: assets from the built dist/ (`npm run build`) on the
 * test server's own origin, or on another origin (`folder`), progress and debug notes recorded.
 */
export function localContext(folder = new URL('/dist/', location.href).href, config: Partial<VoiceConfig> = {}) {
  const progress: (Progress | null)[] = [];
  const notes: unknown[][] = [];
  const ctx: EngineContext = {
    config: { language: 'en-US', ...config } as VoiceConfig,
    assetUrl: (file) => new URL(file, folder).href,
    progress: (p) => progress.push(p && { ...p }),
    token: async () => undefined,
    debug: (...args) => notes.push(args),
  };
  return { ctx, progress, notes };
}

/** Resource Timing entries whose URL contains `part` (fetches made by this page's main thread). */
export const fetched = (part: string) =>
  (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes(part));

/** Resamples mono samples with the browser's own resampler (an OfflineAudioContext). */
export async function resample(samples: Float32Array, from: number, to: number): Promise<Float32Array> {
  if (from === to) return samples;
  const ctx = new OfflineAudioContext(1, Math.ceil((samples.length * to) / from), to);
  const buffer = ctx.createBuffer(1, samples.length, from);
  buffer.copyToChannel(samples as Float32Array<ArrayBuffer>, 0);
  const source = ctx.createBufferSource();
  source.buffer = buffer;
  source.connect(ctx.destination);
  source.start();
  return (await ctx.startRendering()).getChannelData(0);
}

export const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length));

/** Silence before and after, as a VAD would cut an utterance. */
export function pad(x: Float32Array, sampleRate: number, seconds = 0.3): Float32Array {
  const n = Math.round(sampleRate * seconds);
  const out = new Float32Array(x.length + 2 * n);
  out.set(x, n);
  return out;
}
