// @fixture question-pause.wav
import { expect } from '@esm-bundle/chai';
import { pauseCase } from './e2e-pause.js';

describe('<voice-assistant> turn-taking: a 350 ms pause inside a question', () => {
  it('is one turn with one answer; what was prepared in the pause is cancelled and nothing plays before the end', async function () {
    this.timeout(120000);
    const run = await pauseCase('question-pause.wav', /open from nine/i);
    expect(run.speechEnds).to.equal(1);
    expect(run.turns).to.equal(1);
    expect(run.heard).to.have.length(1);
    expect(run.heard[0]).to.match(/opening hours/);
    expect(run.answers).to.have.length(1);
    expect(run.answers[0]).to.match(/open from nine/i);
    // The transcription started in the pause was cancelled when the user went on: before its
    // bytes reached the server, while the server worked, or after the server had answered (a
    // warm recogniser can answer "what are your" within the 150 ms before the user goes on);
    // either way only the whole question was answered and nothing played before its end.
    expect(run.pageFetches.aborted).to.be.at.least(1);
    expect(run.pageFetches.started).to.equal(run.pageFetches.aborted + 1);
    expect(run.transcriptions.answered).to.be.within(1, run.pageFetches.started);
    expect(run.soundBeforeLastWord).to.equal(false);
    expect(run.firstSoundAfterLastWordMs).to.be.above(0);
  });
});
