import { expect } from '@esm-bundle/chai';
import { limitText } from '../../src/engines/tts/sentence-splitter.js';

describe('limitText (TTS input limit)', () => {
  it('leaves short text alone', () => {
    expect(limitText('  Hello there.  ', 100)).to.deep.equal(['Hello there.']);
    expect(limitText('   ', 100)).to.deep.equal([]);
  });

  it('splits at sentence ends, packing whole sentences up to the limit', () => {
    const text = 'One two. Three four five! Six? Seven eight nine ten.';
    const parts = limitText(text, 30);
    expect(parts).to.deep.equal(['One two. Three four five! Six?', 'Seven eight nine ten.']);
  });

  it('splits one long sentence at clauses, then between words, then cuts a giant word; nothing is lost', () => {
    const long = `${'word '.repeat(300)}and, after a comma, ${'x'.repeat(2500)} end`;
    const parts = limitText(long, 1000);
    expect(parts.every((p) => p.length <= 1000)).to.equal(true);
    expect(parts.join(' ').replace(/\s+/g, ' ')).to.equal(long.replace(/\s+/g, ' ').trim().replace(/(x{1000})(?=x)/g, '$1 '));
    expect(parts.length).to.be.at.least(4);
  });
});
