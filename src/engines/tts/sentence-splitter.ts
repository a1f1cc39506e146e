// Text splitting for speech, in one place: streamed answers into sentences (SentenceSplitter),
// and any text into pieces a TTS request accepts (limitText).
/** Words that end with a full stop without ending a sentence (lower case, without the dot). */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'no', 'fig', 'mt', 'inc', 'ltd', 'co',
]);

export interface SentenceSplitterOptions {
  /** A sentence longer than this is cut at its last comma, semicolon, colon or dash (or space). */
  maxChars?: number;
}

/**
 * Cuts streamed text into sentences as soon as each one is complete, so that speech can start
 * before the whole answer has arrived. A sentence ends at `.`, `!`, `?` or `…` (possibly
 * followed by quotes or brackets) when whitespace follows, or at a line break; abbreviations
 * ("Dr.", "e.g.") and numbers ("3.5") do not end one.
 * @example
 * const s = new SentenceSplitter();
 * s.push('Hello there. How'); // ['Hello there.']
 * s.push(' are you?');        // []  (the "?" may still be followed by more)
 * s.flush();                  // ['How are you?']
 */
export class SentenceSplitter {
  private buffer = '';
  private readonly maxChars: number;

  constructor(options: SentenceSplitterOptions = {}) {
    this.maxChars = options.maxChars ?? 240;
  }

  /** Adds text; returns the sentences it completed (trimmed, never empty). */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (let end = this.nextEnd(); end > 0; end = this.nextEnd()) {
      this.take(end, out);
    }
    while (this.buffer.length > this.maxChars) this.take(this.softCut(), out);
    return out;
  }

  /** The text is complete: returns what is left as a last sentence, if anything. */
  flush(): string[] {
    const out: string[] = [];
    this.take(this.buffer.length, out);
    return out;
  }

  private take(end: number, out: string[]) {
    const sentence = this.buffer.slice(0, end).replace(/\s+/g, ' ').trim();
    this.buffer = this.buffer.slice(end);
    if (/[\p{L}\p{N}]/u.test(sentence)) out.push(sentence);
    else if (sentence && out.length) out[out.length - 1] += sentence;
  }

  /** Index just after the first complete sentence, or -1. */
  private nextEnd(): number {
    const b = this.buffer;
    const re = /[.!?…]+["'”’)\]]*(?=\s)|\n/g;
    for (let m = re.exec(b); m; m = re.exec(b)) {
      const end = m.index + m[0].length;
      if (m[0] === '\n') {
        if (b.slice(0, end).trim()) return end;
        continue;
      }
      if (m[0] === '.' && this.isAbbreviation(b.slice(0, m.index))) continue;
      return end;
    }
    return -1;
  }

  private isAbbreviation(before: string): boolean {
    const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
    // Single capital letters are initials ("J. Smith").
    return ABBREVIATIONS.has(word) || /^\p{Lu}$/u.test(/(\p{L}+)$/u.exec(before)?.[1] ?? '');
  }

  private softCut(): number {
    const head = this.buffer.slice(0, this.maxChars);
    const at = Math.max(head.lastIndexOf(', '), head.lastIndexOf('; '), head.lastIndexOf(': '), head.lastIndexOf(' - '));
    if (at > this.maxChars / 3) return at + 1;
    const space = head.lastIndexOf(' ');
    return space > 0 ? space : this.maxChars;
  }
}

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
