// @fixture question-long-pause.wav
import { expect } from '@esm-bundle/chai';
import { pauseCase } from './e2e-pause.js';

describe('<voice-assistant> turn-taking: a 900 ms pause between two questions', () => {
  it('is two turns (longer than silence-ms), and the second question is answered', async function () {
    this.timeout(120000);
    const run = await pauseCase('question-long-pause.wav', /harbour street/i);
    expect(run.speechEnds).to.equal(2);
    expect(run.turns).to.equal(2);
    expect(run.heard.at(-1)).to.match(/located/);
    expect(run.answers.at(-1)).to.match(/harbour street/i);
    // The first answer may start in the 900 ms pause and be cut by the second question
    // (barge-in); the second answer is a new sound that begins after the last word.
    expect(run.firstSoundAfterLastWordMs).to.be.above(0);
  });
});
