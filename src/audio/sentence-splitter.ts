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

  /** Forgets unfinished text (e.g. after a barge-in). */
  clear(): void {
    this.buffer = '';
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
