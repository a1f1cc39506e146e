/**
 * The language as OpenAI-compatible servers want it: ISO 639-1 (`en` for `en-US`); undefined for a
 * primary subtag of three letters (`fil`, `yue`), which has no such code (the server detects it).
 * Lazy code only (the remote engines, the realtime socket), not the entry.
 */
export const iso639_1 = (language: string): string | undefined => {
  const primary = language.split('-')[0]!.toLowerCase();
  return /^[a-z]{2}$/.test(primary) ? primary : undefined;
};
