import { expect } from '@esm-bundle/chai';
import { SentenceSplitter } from '../../src/engines/tts/sentence-splitter.js';

const feed = (pieces: string[]) => {
  const s = new SentenceSplitter();
  const out = pieces.flatMap((p) => s.push(p));
  return [...out, ...s.flush()];
};

describe('SentenceSplitter', () => {
  it('emits each sentence as soon as the whitespace after it arrives', () => {
    const s = new SentenceSplitter();
    expect(s.push('We are open from nine. On Sun')).to.deep.equal(['We are open from nine.']);
    expect(s.push('days we are closed!')).to.deep.equal([]);
    expect(s.push(' Ok?')).to.deep.equal(['On Sundays we are closed!']);
    expect(s.flush()).to.deep.equal(['Ok?']);
    expect(s.flush()).to.deep.equal([]);
  });

  it('splits the same way whatever the streaming pieces are', () => {
    const text = 'Dr. Smith paid 3.5 euros, e.g. for tea. "Really?" she asked… Yes! Line one\nLine two';
    const expected = ['Dr. Smith paid 3.5 euros, e.g. for tea.', '"Really?"', 'she asked…', 'Yes!', 'Line one', 'Line two'];
    expect(feed([text])).to.deep.equal(expected);
    expect(feed([...text])).to.deep.equal(expected);
    for (let i = 0; i < text.length; i += 7) expect(feed([text.slice(0, i), text.slice(i)])).to.deep.equal(expected);
  });

  it('cuts a very long sentence at a comma so speech can start', () => {
    const s = new SentenceSplitter({ maxChars: 60 });
    const out = s.push('This sentence goes on and on, with clause after clause, and never seems to stop at all');
    expect(out.length).to.be.greaterThan(0);
    expect(out[0]).to.match(/,$/);
    expect(out.every((x) => x.length <= 60)).to.equal(true);
  });

  it('drops pieces without words', () => {
    expect(feed(['Hello.   ', '  \n\n ', '...'])).to.deep.equal(['Hello.']);
    expect(feed(['  '])).to.deep.equal([]);
  });
});
