// Word error rate and the table bench/wer.mjs prints. WER = (substitutions + deletions +
// insertions) / reference words, summed over prompts (not a mean of per-prompt rates).
import { words } from '../scripts/human-fixtures-words.mjs';

/** Word-level edit distance between a reference and a hypothesis. */
export function errors(reference, hypothesis) {
  const r = words(reference), h = words(hypothesis);
  let prev = Array.from({ length: h.length + 1 }, (_, j) => j);
  for (let i = 1; i <= r.length; i++) {
    const cur = [i];
    for (let j = 1; j <= h.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r[i - 1] === h[j - 1] ? 0 : 1));
    prev = cur;
  }
  return { errors: prev[h.length], words: r.length };
}

/** WER over rows (each {errors, words}), as a fraction. */
export function wer(rows) {
  const e = rows.reduce((s, r) => s + r.errors, 0), n = rows.reduce((s, r) => s + r.words, 0);
  return n ? e / n : 0;
}

export const pct = (x) => `${(100 * x).toFixed(1)}%`;
export const ratio = (a, b) => (b ? (a / b).toFixed(2) : a ? 'inf' : '1.00');
export const pad = (s, n) => String(s).padEnd(n);
