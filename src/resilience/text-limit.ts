/** Text longer than this is not sent to a TTS engine in one request (providers cap input at ~4096). */
export const TTS_MAX_CHARS = 1000;

const SENTENCE = /(?<=[.!?…。！？])\s+/u;
const CLAUSE = /(?<=[,;:—–])\s+/u;

/**
 * Splits `text` into pieces of at most `max` characters without losing any of it: at sentence
 * ends first, then at clause punctuation, then between words; a single word longer than `max`
 * (a URL, a hash) is cut. The pieces joined with single spaces give the text back (whitespace
 * runs at the cut points collapse).
 * @example
 * limitText('One. Two.', 5) // ['One.', 'Two.']
 */
export function limitText(text: string, max = TTS_MAX_CHARS): string[] {
  const t = text.trim();
  if (t.length <= max) return t ? [t] : [];
  return pack(t, [SENTENCE, CLAUSE, /\s+/u], max);
}

function pack(text: string, seps: RegExp[], max: number): string[] {
  if (text.length <= max) return [text];
  const [sep, ...rest] = seps;
  if (!sep) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += max) out.push(text.slice(i, i + max));
    return out;
  }
  const out: string[] = [];
  let current = '';
  for (const part of text.split(sep).filter(Boolean)) {
    if (part.length > max) {
      if (current) out.push(current);
      current = '';
      out.push(...pack(part, rest, max));
    } else if (!current) current = part;
    else if (current.length + 1 + part.length <= max) current += ` ${part}`;
    else {
      out.push(current);
      current = part;
    }
  }
  if (current) out.push(current);
  return out;
}
