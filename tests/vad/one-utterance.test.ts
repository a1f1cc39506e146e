// @fixture one-utterance.wav
import { expect } from '@esm-bundle/chai';
import { expectSegments, fixture, listen, report } from './listen.js';

const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / x.length);

describe('<voice-assistant> VAD: one utterance', () => {
  it('emits exactly one segment whose start and end are within 150 ms of the ground truth, with the onset in its audio', async () => {
    const truth = await fixture('one-utterance.wav');
    const heard = await listen({}, truth.durationMs! + 600);
    report('one-utterance', heard, truth.segments);
    expectSegments(heard, truth.segments);
    expect(heard.states.filter((s) => s !== 'transcribing')).to.deep.equal(['loading', 'listening', 'user-speaking', 'listening', 'idle']);
    // voice-speech-end fires once silence-ms (500 by default) has passed after the speech, not before.
    expect(heard.ends[0].firedMs).to.be.greaterThan(heard.ends[0].at + 500 - 50);

    // Pre-roll: the audio handed on starts before the onset (digital silence in the fixture;
    // 160 ms of lead, and 224 ms of tail after it, segmenter.ts), and its first 100 ms carry speech.
    expect(heard.utterances.length).to.equal(1);
    const audio = heard.utterances[0];
    const first100 = rms(audio.subarray(0, 1600 + 16 * 160));
    console.log(`[vad] pre-roll: first 8 ms ${(20 * Math.log10(rms(audio.subarray(0, 128)) + 1e-9)).toFixed(0)} dBFS, first 100 ms ${(20 * Math.log10(first100)).toFixed(1)} dBFS, ${(audio.length / 16).toFixed(0)} ms in all`);
    expect(rms(audio.subarray(0, 128)), 'starts before the onset').to.be.below(0.001);
    expect(first100, 'speech within the first 100 ms after the lead').to.be.above(0.01);
    expect(audio.length / 16).to.be.within(truth.segments[0].endMs - truth.segments[0].startMs, truth.segments[0].endMs - truth.segments[0].startMs + 600);
  });
});
