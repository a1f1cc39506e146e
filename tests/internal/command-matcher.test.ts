import { expect } from '@esm-bundle/chai';
import { matchCommand, normalizeWords, phraseSimilarity } from '../../src/internal/command-matcher.js';

const COMMANDS = ['turn the lights on', 'turn the lights off', 'next page', 'previous page', 'go to page 2'];

describe('command matching', () => {
  it('normalises case, punctuation, accents and digits', () => {
    expect(normalizeWords("Turn the LIGHTS on, please! Café 2 don't")).to.deep.equal(['turn', 'the', 'lights', 'on', 'please', 'cafe', 'two', 'dont']);
  });

  it('matches exact and slightly misrecognised phrases to the right command', () => {
    const cases: [string, string][] = [
      ['turn the lights on', 'turn the lights on'],
      ['Turn the light on.', 'turn the lights on'],
      ['turned the lights on', 'turn the lights on'],
      ['turn a lights off', 'turn the lights off'],
      ['please go to the next page', 'next page'],
      ['next pitch', 'next page'],
      ['previous page', 'previous page'],
      ['go to page two', 'go to page 2'],
    ];
    for (const [heard, phrase] of cases) {
      const m = matchCommand(heard, COMMANDS);
      expect(m?.phrase, heard).to.equal(phrase);
      expect(m!.confidence, heard).to.be.within(0.6, 1);
    }
    expect(matchCommand('turn the lights on', COMMANDS)!.confidence).to.equal(1);
  });

  it('matches nothing for unrelated speech or silence', () => {
    for (const heard of ['what is the weather like tomorrow', 'order a pizza with cheese', '', 'the']) {
      expect(matchCommand(heard, COMMANDS), heard).to.equal(undefined);
    }
    expect(matchCommand('next page', [])).to.equal(undefined);
  });

  it('scores closer transcripts higher', () => {
    const phrase = normalizeWords('turn the lights on');
    const exact = phraseSimilarity(phrase, normalizeWords('turn the lights on'));
    const near = phraseSimilarity(phrase, normalizeWords('turn the light on'));
    const far = phraseSimilarity(phrase, normalizeWords('burn the kites'));
    expect(exact).to.be.greaterThan(near);
    expect(near).to.be.greaterThan(far);
  });
});
