/**
 * Attribute parsers. Each takes the raw attribute string and returns the typed value, or
 * `undefined` when the string is not acceptable; the schema (attributes.ts) then keeps the
 * default and reports what is accepted.
 */
export type Parser<T> = (raw: string) => T | undefined;

export const oneOf =
  <T extends string>(...values: readonly T[]): Parser<T> =>
  (raw) => {
    const v = raw.trim().toLowerCase() as T;
    return values.includes(v) ? v : undefined;
  };

/** A number within [min, max]. */
export const numberIn =
  (min: number, max: number): Parser<number> =>
  (raw) => {
    if (!/^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw)) return undefined;
    const n = Number(raw);
    return n >= min && n <= max ? n : undefined;
  };

/** Presence means on (HTML boolean attribute); "false", "off", "0" and "no" mean off. */
export const flag: Parser<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (v === '' || v === 'true' || v === 'on' || v === '1' || v === 'yes') return true;
  return v === 'false' || v === 'off' || v === '0' || v === 'no' ? false : undefined;
};

const NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** An ordered, space- or comma-separated list of engine names, without duplicates. */
export const engineList: Parser<readonly string[]> = (raw) => {
  const names = raw.trim().toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (!names.length || names.length > 8 || !names.every((n) => NAME.test(n))) return undefined;
  return new Set(names).size === names.length ? Object.freeze(names) : undefined;
};

/** An http(s) URL, absolute or relative to the document. */
export const url: Parser<string> = (raw) => {
  const v = raw.trim();
  if (!v || v.length > 2048) return undefined;
  try {
    const u = new URL(v, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
};

/** Free text up to `max` characters. */
export const text =
  (max: number): Parser<string> =>
  (raw) =>
    raw.length <= max ? raw : undefined;

/** A model or voice name: printable, no spaces, up to 128 characters. */
export const token: Parser<string> = (raw) => (/^[\w.:/@+-]{1,128}$/.test(raw.trim()) ? raw.trim() : undefined);

/** `;`-separated phrases (command mode), trimmed, empties dropped, at most 200. */
export const phrases: Parser<readonly string[]> = (raw) => {
  const list = raw.split(';').map((p) => p.trim().replace(/\s+/g, ' ')).filter(Boolean);
  return list.length <= 200 && list.every((p) => p.length <= 200) ? Object.freeze(list) : undefined;
};

/** A BCP 47 language tag such as `en-US` (structure only, not the registry). */
export const language: Parser<string> = (raw) =>
  /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(raw.trim()) ? raw.trim() : undefined;

/** Space-separated group names. */
export const groups: Parser<readonly string[]> = (raw) => {
  const list = raw.trim().split(/\s+/).filter(Boolean);
  return list.length <= 32 && list.every((g) => /^[\w-]{1,64}$/.test(g)) ? Object.freeze(list) : undefined;
};

/** Engine names added with `VoiceAssistant.registerEngine` (lower case), for the `chat` attribute. */
export const registeredEngineNames = new Set<string>();

/** `remote`, `none`, or the name of a registered engine. */
export const chatEngine: Parser<string> = (raw) => {
  const v = raw.trim().toLowerCase();
  return v === 'remote' || v === 'none' || registeredEngineNames.has(v) ? v : undefined;
};

/** The browser's capture processing that `audio-processing` may list. */
export const PROCESSING_FEATURES = ['echo-cancellation', 'noise-suppression', 'auto-gain-control'] as const;
export type ProcessingFeature = (typeof PROCESSING_FEATURES)[number];

/**
 * `auto`, `none`, or a space/comma-separated list of processing features (each at most once);
 * returned normalised: `auto`, `none`, or the features in their canonical order.
 */
export const audioProcessing: Parser<string> = (raw) => {
  const v = raw.trim().toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (v.length === 1 && (v[0] === 'auto' || v[0] === 'none')) return v[0];
  if (!v.length || new Set(v).size !== v.length || !v.every((f) => (PROCESSING_FEATURES as readonly string[]).includes(f))) return undefined;
  return PROCESSING_FEATURES.filter((f) => v.includes(f)).join(' ');
};
