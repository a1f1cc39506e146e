// @fixture two-utterances-short-gap.wav
import { expectSegments, fixture, listen, report } from './listen.js';

describe('<voice-assistant> VAD: two-utterances-short-gap', () => {
  it('emits one segment for two utterances 0.3 s apart (less than silence-ms, here 700 ms)', async () => {
    const truth = await fixture('two-utterances-short-gap.wav');
    // The second utterance opens with 190 ms of breath at -47 to -56 dBFS ("wh-", 2.61-2.80 s)
    // that Silero scores as silence, so the silence it sees between the two is ~490 ms, not 300:
    // against the default silence-ms (500) that split it once in CI (end -1573 ms). Pinned to the
    // three processing features instead (auto gain lifts the breath), the first onset came 165 ms
    // late in another run (the processing adapting at the start of capture). So: the default
    // processing, and silence-ms 700, which still puts the 300 ms gap well under silence-ms.
    const heard = await listen({ 'silence-ms': '700' }, truth.durationMs! + 800);
    const expected = [{ startMs: truth.segments[0].startMs, endMs: truth.segments.at(-1)!.endMs }];
    report('two-utterances-short-gap', heard, expected);
    expectSegments(heard, expected);
  });
});
