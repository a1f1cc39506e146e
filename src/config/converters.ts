import type { ComplexAttributeConverter } from '@lit/reactive-element';
import { ATTRIBUTES, type AttributeName } from './attributes.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.js';

const UNIT: Record<number, string> = { 1e3: 's', 6e4: 'min', 36e5: 'h', 864e5: 'day' };

/** `{stt: [{limit: 20, windowMs: 60000}]}` -> `stt=20/min`. */
export const formatRateLimits = (r: RateLimits) =>
  r === DEFAULT_RATE_LIMITS
    ? undefined
    : Object.values(r).every((ws) => !ws.length)
      ? 'none'
      : Object.entries(r)
        .map(([op, ws]) => `${op}=${ws.map((w) => (UNIT[w.windowMs] ? `${w.limit}/${UNIT[w.windowMs]}` : `${w.limit}/${w.windowMs / 1e3}s`)).join(',') || '0/s'}`)
        .join(';');

const defaultOf = (name: AttributeName): unknown => {
  const d = ATTRIBUTES[name].def;
  return typeof d === 'function' ? undefined : d;
};

const same = (a: unknown, b: unknown) => a === b || (Array.isArray(a) && Array.isArray(b) && a.join('\n') === b.join('\n'));

/**
 * Attribute <-> property converter for one attribute of the contract. An unacceptable string
 * becomes the default (the element reports it); a property equal to the default removes the
 * attribute, so defaults are never written into the page's markup.
 */
export function converter(name: AttributeName): ComplexAttributeConverter {
  const parse = ATTRIBUTES[name].parse as (s: string) => unknown;
  return {
    fromAttribute: (v) => (v == null ? defaultOf(name) : (parse(v) ?? defaultOf(name))),
    toAttribute: (v: unknown) => {
      if (v === undefined || v === null || same(v, defaultOf(name))) return undefined;
      if (name === 'rate-limit') return formatRateLimits(v as RateLimits);
      if (typeof v === 'boolean') return v ? '' : 'false';
      if (Array.isArray(v)) return v.join(name === 'commands' ? '; ' : ' ');
      return String(v);
    },
  };
}

/** Whether a raw attribute string is acceptable. */
export const isValid = (name: AttributeName, raw: string) => (ATTRIBUTES[name].parse as (s: string) => unknown)(raw) !== undefined;

export { defaultOf };
