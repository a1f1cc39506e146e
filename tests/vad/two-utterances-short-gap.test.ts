// @fixture two-utterances-short-gap.wav
import { expectSegments, fixture, listen, report } from './listen.js';

describe('<voice-assistant> VAD: two-utterances-short-gap', () => {
  it('emits one segment for two utterances 0.3 s apart (less than silence-ms)', async () => {
    const truth = await fixture('two-utterances-short-gap.wav');
    const heard = await listen({}, truth.durationMs! + 600);
    const expected = [{ startMs: truth.segments[0].startMs, endMs: truth.segments.at(-1)!.endMs }];
    report('two-utterances-short-gap', heard, expected);
    expectSegments(heard, expected);
  });
});
