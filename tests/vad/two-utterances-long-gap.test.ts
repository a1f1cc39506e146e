// @fixture two-utterances-long-gap.wav
import { expectSegments, fixture, listen, report } from './listen.js';

describe('<voice-assistant> VAD: two-utterances-long-gap', () => {
  it('emits two segments for two utterances 1.5 s apart (more than silence-ms)', async () => {
    const truth = await fixture('two-utterances-long-gap.wav');
    const heard = await listen({}, truth.durationMs! + 600);
    const expected = truth.segments;
    report('two-utterances-long-gap', heard, expected);
    expectSegments(heard, expected);
  });
});
