/** The best command for a transcript, with how sure the match is (0..1). */
export interface CommandMatch {
  readonly phrase: string;
  readonly confidence: number;
}

const NUMBERS: Record<string, string> = {
  '0': 'zero', '1': 'one', '2': 'two', '3': 'three', '4': 'four', '5': 'five', '6': 'six', '7': 'seven', '8': 'eight', '9': 'nine', '10': 'ten',
};

/** Lower case, no punctuation or accents, digits as words: what a recogniser might write. */
export function normalizeWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/'/g, '')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => NUMBERS[w] ?? w);
}

/** Levenshtein distance of two sequences, with a substitution cost in 0..1. */
function distance<T>(a: readonly T[], b: readonly T[], cost: (x: T, y: T) => number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost(a[i - 1]!, b[j - 1]!));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** How different two words are, 0 (same) .. 1: their letter edit distance over the longer length. */
export function wordCost(a: string, b: string): number {
  if (a === b) return 0;
  const d = distance([...a], [...b], (x, y) => (x === y ? 0 : 1));
  return Math.min(1, d / Math.max(a.length, b.length));
}

/**
 * Similarity of a phrase to the best-fitting run of words in a transcript: 1 - (word-level edit
 * distance, where a misheard word costs its letter distance) / phrase length. A transcript
 * that says more than the phrase ("please, next page") still matches well; "lights on" heard
 * as "light on" costs a fraction of a word.
 */
export function phraseSimilarity(phrase: readonly string[], heard: readonly string[]): number {
  if (!phrase.length || !heard.length) return 0;
  let best = Infinity;
  for (let start = 0; start < heard.length; start++) {
    for (let end = start + 1; end <= heard.length; end++) {
      best = Math.min(best, distance(phrase, heard.slice(start, end), wordCost));
    }
  }
  // Words heard around the phrase cost a little, as a tie-breaker: "turn the lights on" beats
  // "turn the lights on and off", but a recogniser that adds a word does not lose the match.
  const extra = Math.min(0.05, Math.max(0, heard.length - phrase.length) * 0.01);
  return Math.max(0, 1 - best / phrase.length - extra);
}

/**
 * Matches a transcript against command phrases, tolerant of small recognition errors.
 * @example
 * matchCommand('turn the light on', ['turn the lights on', 'next page']);
 * // { phrase: 'turn the lights on', confidence: 0.93 }
 */
export function matchCommand(text: string, phrases: readonly string[], threshold = 0.6): CommandMatch | undefined {
  const heard = normalizeWords(text);
  let best: CommandMatch | undefined;
  for (const phrase of phrases) {
    const confidence = phraseSimilarity(normalizeWords(phrase), heard);
    if (!best || confidence > best.confidence) best = { phrase, confidence: Math.round(confidence * 1000) / 1000 };
  }
  return best && best.confidence >= threshold ? best : undefined;
}
