import { expect } from '@esm-bundle/chai';
import { Segmenter, type SegmentEvent, type SegmenterOptions } from '../../src/vad/segmenter.js';

// 512-sample frames at 16 kHz: 32 ms each. Speech frames carry a loud tone, silence is quiet.
const FRAME_MS = 32;
const frame = (amp: number) => Float32Array.from({ length: 512 }, (_, i) => amp * Math.sin(i / 3));

/**
 * Runs a sequence of [probability, frames, amplitude?] runs through a segmenter; onsets (the
 * unconfirmed first frame over the threshold) are left out unless asked for. Speculative pauses
 * are off unless `pauseMs` is given (they have tests of their own below).
 */
function run(options: Partial<SegmenterOptions>, runs: [number, number, number?][], onsets = false, s?: Segmenter) {
  s ??= new Segmenter({ threshold: 0.5, silenceMs: 320, maxUtteranceS: 30, pauseMs: 0, ...options });
  const events: (SegmentEvent & { frame: number })[] = [];
  let i = 0;
  for (const [p, n, amp] of runs) {
    for (let k = 0; k < n; k++, i++) {
      for (const e of s.push(frame(amp ?? (p >= 0.35 ? 0.3 : 0.001)), p)) events.push({ ...e, frame: i });
    }
  }
  return onsets ? events : events.filter((e) => e.type !== 'onset');
}

describe('Segmenter', () => {
  it('emits one start and one end for one utterance, at the speech frames', () => {
    const events = run({}, [[0.01, 20], [0.9, 25], [0.05, 20]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'end']);
    const [start, end] = events;
    expect(start.at).to.equal(20 * FRAME_MS);
    // speech-start fires once the minimum speech (96 ms = 3 frames) is reached
    expect(start.frame).to.equal(22);
    expect(end.at).to.equal(45 * FRAME_MS);
    expect(end.type === 'end' && end.durationMs).to.equal(25 * FRAME_MS);
    // ... and the end fires when silence-ms (320 ms = 10 frames) has passed after the last speech frame
    expect(end.frame).to.equal(54);
  });

  it('keeps speech going between the threshold and threshold - 0.15 (hysteresis)', () => {
    const events = run({}, [[0.01, 5], [0.9, 5], [0.4, 20], [0.9, 5], [0.01, 15]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'end']);
    expect(events[1].at).to.equal(35 * FRAME_MS);
  });

  it('ends the utterance below threshold - 0.15', () => {
    const events = run({}, [[0.01, 5], [0.9, 5], [0.3, 20], [0.9, 5], [0.01, 15]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'end', 'start', 'end']);
  });

  it('splits on a pause longer than silence-ms and not on a shorter one', () => {
    const long = run({}, [[0.01, 5], [0.9, 10], [0.01, 12], [0.9, 10], [0.01, 12]]);
    expect(long.map((e) => e.type)).to.deep.equal(['start', 'end', 'start', 'end']);
    const short = run({}, [[0.01, 5], [0.9, 10], [0.01, 8], [0.9, 10], [0.01, 12]]);
    expect(short.map((e) => e.type)).to.deep.equal(['start', 'end']);
    expect(short[1].type === 'end' && short[1].durationMs).to.equal(28 * FRAME_MS);
  });

  it('signals the onset at the first frame over the threshold, before speech is confirmed', () => {
    const events = run({}, [[0.01, 20], [0.9, 25], [0.05, 20]], true);
    expect(events.map((e) => [e.type, e.frame])).to.deep.equal([['onset', 20], ['start', 22], ['end', 54]]);
    expect(events[0].at).to.equal(events[1].at);
    const blip = run({}, [[0.01, 5], [0.9, 1], [0.01, 15]], true);
    expect(blip.map((e) => e.type)).to.deep.equal(['onset', 'misfire']);
  });

  it('applies a raised threshold and minimum speech from the next frame on (echo guard)', () => {
    const s = new Segmenter({ threshold: 0.5, silenceMs: 320, maxUtteranceS: 30, pauseMs: 0 });
    s.configure({ threshold: 0.8, minSpeechMs: 160 });
    // 0.7 no longer counts, and 4 frames (128 ms) of 0.9 are now a misfire
    expect(run({}, [[0.01, 5], [0.7, 10], [0.01, 12], [0.9, 4], [0.01, 12]], true, s).map((e) => e.type)).to.deep.equal(['onset', 'misfire']);
    s.configure({ threshold: 0.5, minSpeechMs: 96 });
    expect(run({}, [[0.7, 10], [0.01, 12]], false, s).map((e) => e.type)).to.deep.equal(['start', 'end']);
  });

  it('treats speech shorter than the minimum as a misfire: no start, no end', () => {
    const events = run({ minSpeechMs: 160 }, [[0.01, 5], [0.9, 4], [0.01, 15], [0.9, 2], [0.01, 15]]);
    expect(events.map((e) => e.type)).to.deep.equal(['misfire', 'misfire']);
  });

  it('cuts an utterance at max-utterance-s, emits it, and carries on with the rest', () => {
    const events = run({ maxUtteranceS: 1 }, [[0.01, 10], [0.9, 80], [0.01, 15]]);
    const ends = events.filter((e) => e.type === 'end');
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'end', 'start', 'end', 'start', 'end']);
    expect(ends.slice(0, 2).map((e) => e.type === 'end' && e.reason)).to.deep.equal(['max-length', 'max-length']);
    for (const e of ends) expect(e.type === 'end' && e.audio.length).to.be.at.most(16000);
    // Nothing is lost or doubled at the cuts: the three pieces cover the 80 speech frames.
    const total = ends.reduce((n, e) => n + (e.type === 'end' ? e.durationMs : 0), 0);
    expect(total).to.be.within(80 * FRAME_MS - 2 * FRAME_MS, 80 * FRAME_MS + FRAME_MS);
  });

  it('starts the audio before the first frame over the threshold (pre-roll)', () => {
    // Speech energy starts 3 frames before the model's probability rises, as with Silero.
    const events = run({ leadMs: 32 }, [[0.01, 20], [0.1, 3, 0.3], [0.9, 20], [0.01, 15]]);
    const start = events[0];
    const end = events.find((e) => e.type === 'end')!;
    expect(start.at).to.equal(20 * FRAME_MS);
    if (end.type !== 'end') throw new Error('no end');
    // One quiet frame of margin before the onset, then the loud onset frames.
    expect(end.audioStartMs).to.equal(19 * FRAME_MS);
    const rms = (a: Float32Array) => Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(rms(end.audio.subarray(512, 1024))).to.be.greaterThan(0.1);
    expect(rms(end.audio.subarray(0, 512))).to.be.lessThan(0.01);
  });

  it('never reaches back into audio already emitted, and pre-roll is bounded', () => {
    const events = run({ preRollMs: 160 }, [[0.01, 50, 0.3], [0.9, 10], [0.01, 15]]);
    const end = events.find((e) => e.type === 'end');
    if (end?.type !== 'end') throw new Error('no end');
    // 5 frames of pre-roll at most, though all 50 frames before were loud
    expect(end.audioStartMs).to.equal(45 * FRAME_MS);
  });

  it('gives utterance audio that ends shortly after the last speech frame', () => {
    const events = run({ tailMs: 64 }, [[0.01, 10], [0.9, 10], [0.01, 30]]);
    const end = events.find((e) => e.type === 'end');
    if (end?.type !== 'end') throw new Error('no end');
    expect(end.audioStartMs + (end.audio.length / 16)).to.equal((20 + 2) * FRAME_MS);
  });

  it('stays silent on silence and on noise under the threshold', () => {
    expect(run({}, [[0.01, 500]])).to.deep.equal([]);
    expect(run({}, [[0.3, 500, 0.05]])).to.deep.equal([]);
  });

  it('hands over the utterance so far after pauseMs of silence, the same audio the end gives', () => {
    const events = run({ silenceMs: 480, pauseMs: 192, tailMs: 96 }, [[0.01, 10], [0.9, 20], [0.01, 20]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'pause', 'end']);
    const [, pause, end] = events;
    if (pause.type !== 'pause' || end.type !== 'end') throw new Error('no pause/end');
    // The pause fires after 6 silent frames (192 ms), the end after 15 (480 ms).
    expect(pause.frame).to.equal(30 + 6 - 1);
    expect(end.frame).to.equal(30 + 15 - 1);
    expect([pause.at, pause.durationMs, pause.audioStartMs]).to.deep.equal([end.at, end.durationMs, end.audioStartMs]);
    expect(Array.from(pause.audio)).to.deep.equal(Array.from(end.audio));
  });

  it('hands over a pause only once the tail is in, so that it is the audio the end gives', () => {
    // Tail 320 ms (10 frames) over a 192 ms pause: the pause waits for the tail.
    const events = run({ silenceMs: 480, pauseMs: 192, tailMs: 320 }, [[0.01, 10], [0.9, 20], [0.01, 20]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'pause', 'end']);
    const [, pause, end] = events;
    if (pause.type !== 'pause' || end.type !== 'end') throw new Error('no pause/end');
    expect(pause.frame).to.equal(30 + 10 - 1);
    expect(Array.from(pause.audio)).to.deep.equal(Array.from(end.audio));
  });

  it('resumes when speech comes back within silence-ms: one utterance, with both parts', () => {
    // 350 ms of silence in the middle: over the pause, under silence-ms.
    const events = run({ silenceMs: 480, pauseMs: 192 }, [[0.01, 10], [0.9, 15], [0.01, 11], [0.9, 15], [0.01, 20]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'pause', 'resume', 'pause', 'end']);
    const resume = events[2]!;
    expect(resume.at).to.equal((10 + 15 + 11) * FRAME_MS);
    const end = events[4]!;
    if (end.type !== 'end') throw new Error('no end');
    expect(end.durationMs).to.equal((15 + 11 + 15) * FRAME_MS);
    // A pause longer than silence-ms ends the turn instead: two utterances.
    const two = run({ silenceMs: 480, pauseMs: 192 }, [[0.01, 10], [0.9, 15], [0.01, 16], [0.9, 15], [0.01, 20]]);
    expect(two.map((e) => e.type)).to.deep.equal(['start', 'pause', 'end', 'start', 'pause', 'end']);
  });

  it('never pauses when pauseMs is not below silence-ms', () => {
    const events = run({ silenceMs: 320, pauseMs: 320 }, [[0.01, 10], [0.9, 20], [0.01, 20]]);
    expect(events.map((e) => e.type)).to.deep.equal(['start', 'end']);
  });
});
