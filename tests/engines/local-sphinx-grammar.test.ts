import { expect } from '@esm-bundle/chai';
import { FILLER_WORDS, buildGrammar, phraseFor, phraseWords } from '../../src/engines/stt/sphinx-grammar.js';

const DICTIONARY = new Set(['lights', 'on', 'off', 'next', 'page', 'what', 'time', 'is', 'it', 'two', 'ten', "don't", 'stop', 'cafe']);
const known = (w: string) => DICTIONARY.has(w);

describe('sphinx grammar (local STT)', () => {
  it('spells phrases the way the dictionary does', () => {
    expect(phraseWords('What time is it?')).to.deep.equal(['what', 'time', 'is', 'it']);
    expect(phraseWords("  Don't STOP! ")).to.deep.equal(["don't", 'stop']);
    expect(phraseWords('Page 2, page 10')).to.deep.equal(['page', 'two', 'page', 'ten']);
    expect(phraseWords('Café')).to.deep.equal(['cafe']);
    expect(phraseWords('...')).to.deep.equal([]);
  });

  it('builds a JSGF grammar of the phrases plus a loop of filler phones', () => {
    const g = buildGrammar(['Lights on', 'Lights off', 'lights ON!'], known);
    expect([...g.phrases]).to.deep.equal([
      ['lights on', 'Lights on'],
      ['lights off', 'Lights off'],
    ]);
    expect(g.jsgf).to.contain('public <utterance> = (lights on) | (lights off) | <filler>+;');
    expect(g.jsgf).to.match(/^#JSGF V1\.0;\ngrammar commands;\n<filler> = fillerxaa \| /);
    expect(FILLER_WORDS).to.have.length(39);
    expect(g.skipped).to.deep.equal([]);
  });

  it('leaves out phrases with words the dictionary does not know, and says which', () => {
    const g = buildGrammar(['Lights on', 'Zorblax the lights', '?!'], known);
    expect([...g.phrases.keys()]).to.deep.equal(['lights on']);
    expect(g.skipped).to.deep.equal([
      { phrase: 'Zorblax the lights', unknown: ['zorblax', 'the'] },
      { phrase: '?!', unknown: [] },
    ]);
  });

  it('maps a hypothesis back to the page phrase; filler or nothing is no phrase', () => {
    const g = buildGrammar(['What time is it?', 'Next page'], known);
    expect(phraseFor(g, 'what time is it')).to.equal('What time is it?');
    expect(phraseFor(g, ' next  page ')).to.equal('Next page');
    expect(phraseFor(g, 'fillerxw fillerxeh fillerxdh')).to.equal('');
    expect(phraseFor(g, '')).to.equal('');
  });
});
