/**
 * Builds the recogniser's grammar from command phrases. A finite-state grammar alone forces
 * every utterance onto its closest phrase ("what is the weather" -> "lights on"), so the
 * grammar also offers a loop of single phones, the classic "garbage model": speech that fits
 * no phrase is better explained by phones than by any command, and comes back as filler.
 */

/** The phones of the en-US acoustic model (CMU ARPAbet, no stress). */
const PHONES = 'AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH UH UW V W Y Z ZH'.split(' ');

/** Dictionary words added for the garbage loop: one per phone, a name no command can contain. */
export const FILLER_WORDS: readonly (readonly [word: string, phones: string])[] = PHONES.map((p) => [`fillerx${p.toLowerCase()}`, p]);
export const isFiller = (word: string) => word.startsWith('fillerx');

const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** Lower case, letters and apostrophes only, small numbers as words: how the dictionary spells. */
export function phraseWords(phrase: string): string[] {
  return phrase
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\b(10|\d)\b/g, (d) => ` ${NUMBERS[Number(d)]} `)
    .replace(/[^a-z' ]+/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^'+|'+$/g, ''))
    .filter(Boolean);
}

export interface SphinxGrammar {
  /** JSGF text for `Decoder.set_grammar`. */
  readonly jsgf: string;
  /** Recognised word sequence ("lights on") -> the phrase as the page wrote it ("Lights on!"). */
  readonly phrases: ReadonlyMap<string, string>;
  /** Phrases left out, with the words the dictionary does not know. */
  readonly skipped: readonly { phrase: string; unknown: string[] }[];
}

export function buildGrammar(phrases: readonly string[], known: (word: string) => boolean): SphinxGrammar {
  const kept = new Map<string, string>();
  const skipped: { phrase: string; unknown: string[] }[] = [];
  for (const phrase of phrases) {
    const words = phraseWords(phrase);
    const unknown = words.filter((w) => !known(w));
    if (!words.length || unknown.length) skipped.push({ phrase, unknown });
    else if (!kept.has(words.join(' '))) kept.set(words.join(' '), phrase);
  }
  const alternatives = [...kept.keys()].map((p) => `(${p})`);
  const jsgf = [
    '#JSGF V1.0;',
    'grammar commands;',
    `<filler> = ${FILLER_WORDS.map(([w]) => w).join(' | ')};`,
    `public <utterance> = ${[...alternatives, '<filler>+'].join(' | ')};`,
    '',
  ].join('\n');
  return { jsgf, phrases: kept, skipped };
}

/** The page's phrase for a hypothesis, or '' when the garbage loop (or nothing) won. */
export function phraseFor(grammar: SphinxGrammar, hypothesis: string): string {
  const words = hypothesis.trim().split(/\s+/).filter(Boolean);
  if (!words.length || words.some(isFiller)) return '';
  return grammar.phrases.get(words.join(' ')) ?? words.join(' ');
}
