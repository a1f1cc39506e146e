// The panel's message catalogs (issue 15) stay out of the entry (its 10 KB budget) and out of the
// panel's chunk: each language is its own small chunk, loaded only for a page in that language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';

const dist = 'dist';
const js = readdirSync(dist).filter((f) => f.endsWith('.js'));
const text = (f) => readFileSync(`${dist}/${f}`, 'utf8');
const SAMPLES = {
  es: 'Olvidar esta conversación',
  de: 'Diese Unterhaltung vergessen',
  ar: 'انسَ هذه المحادثة',
  ja: 'この会話を消去',
};

test('each catalog is in exactly one chunk of its own, neither the entry nor the panel', () => {
  const entry = text('voice-assistant.js');
  for (const [lang, sample] of Object.entries(SAMPLES)) {
    const holders = js.filter((f) => text(f).includes(sample));
    assert.equal(holders.length, 1, `${lang}: ${holders.join(', ')}`);
    assert.match(holders[0], new RegExp(`^${lang}-`), `${lang} is its own chunk`);
    assert.ok(!entry.includes(sample), `${lang} is not in the entry`);
    assert.ok(text(holders[0]).length < 2000, `${lang} chunk is small`);
  }
  // English is the fallback that is always there: in the panel's chunk.
  assert.ok(js.some((f) => f.startsWith('lazy-') && text(f).includes('Forget this conversation')));
  assert.ok(!entry.includes('Forget this conversation'));
});
