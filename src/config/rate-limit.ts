import type { Operation } from './operation.js';

/** The `rate-limit` attribute: `stt=20/min,300/h;tts=30/min;chat=20/min`, or `none`. */

/** One window of a token bucket: at most `limit` calls per `windowMs`. */
export interface RateWindow {
  readonly limit: number;
  readonly windowMs: number;
}

export type RateLimits = Readonly<Record<Operation, readonly RateWindow[]>>;

const UNITS: Record<string, number> = { s: 1e3, sec: 1e3, m: 6e4, min: 6e4, h: 36e5, hour: 36e5, d: 864e5, day: 864e5 };

const w = (limit: number, windowMs: number): RateWindow => Object.freeze({ limit, windowMs });

/** A burst window, a per-minute and a per-hour budget: generous for a person, tight for a loop. */
export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  stt: Object.freeze([w(5, 1e4), w(20, 6e4), w(300, 36e5)]),
  tts: Object.freeze([w(20, 1e4), w(60, 6e4), w(600, 36e5)]),
  chat: Object.freeze([w(5, 1e4), w(20, 6e4), w(300, 36e5)]),
});

export const NO_RATE_LIMITS: RateLimits = Object.freeze({ stt: [], tts: [], chat: [] });

/** Parses the attribute; operations it does not name keep their default windows. */
export function parseRateLimits(raw: string): RateLimits | undefined {
  const v = raw.trim().toLowerCase();
  if (v === 'none' || v === 'off') return NO_RATE_LIMITS;
  const out: Record<string, readonly RateWindow[]> = { ...DEFAULT_RATE_LIMITS };
  const seen = new Set<string>();
  for (const part of v.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(stt|tts|chat)\s*=\s*(.+)$/.exec(part);
    if (!m || seen.has(m[1])) return undefined;
    seen.add(m[1]);
    const windows: RateWindow[] = [];
    for (const spec of m[2].split(',')) {
      const b = /^\s*(\d{1,6})\s*\/\s*(\d{1,4})?\s*([a-z]+)\s*$/.exec(spec);
      const unit = b && UNITS[b[3]];
      if (!b || !unit || Number(b[1]) < 1) return undefined;
      windows.push(w(Number(b[1]), unit * Number(b[2] ?? 1)));
    }
    out[m[1]] = Object.freeze(windows);
  }
  return seen.size ? (Object.freeze(out) as RateLimits) : undefined;
}
