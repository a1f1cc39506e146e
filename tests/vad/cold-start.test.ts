// @fixture question.wav
// A first visit on a slow link (issue 17): the model and the runtime arrive seconds after the
// click. The visitor may speak at once: every frame is kept for the VAD, and what was said is
// segmented when the model arrives; if it never arrives, what was said still goes to the STT.
import { expect } from '@esm-bundle/chai';
import { CDN_ORIGIN } from '../helpers/origins.js';
import { expectSegments, fixture, listen, report } from './listen.js';

const HOLD_MS = 4000;
const blocks = (x: Float32Array) => Array.from({ length: Math.floor(x.length / 512) }, (_, i) => Math.sqrt(x.subarray(i * 512, i * 512 + 512).reduce((s, v) => s + v * v, 0) / 512));

describe('<voice-assistant> VAD: speech while the model is still downloading', () => {
  it('listens at once, keeps the question asked during the download and segments it within 150 ms of the truth', async () => {
    const truth = await fixture('question.wav');
    const heard = await listen({ 'asset-base': `${CDN_ORIGIN}/slow/${HOLD_MS}/` }, truth.durationMs! + HOLD_MS + 600);
    report('cold start (model held back 4 s)', heard, truth.segments);
    // Listening came before the server let the model and the runtime go.
    expect(heard.listeningAfterMs).to.be.below(HOLD_MS);
    // The question ended (3.0 s) before the model could arrive (4 s), and it is all there.
    expect(truth.segments[0]!.endMs).to.be.below(HOLD_MS);
    expectSegments(heard, truth.segments);
    expect(heard.utterances).to.have.length(1);
    expect(heard.stats!.dropped).to.equal(0);
  });

  it('sends what was said to the STT chain once when the model never arrives, and says why', async () => {
    const truth = await fixture('question.wav');
    // Every download attempt of the model waits 3.5 s and then gets a 404: it fails after the question.
    const heard = await listen({ 'asset-base': `${CDN_ORIGIN}/slow/3500/missing/` }, 12000);
    expect(heard.errors.map((e) => e.code)).to.deep.equal(['asset-load']);
    expect(heard.starts).to.deep.equal([]);
    expect(heard.utterances).to.have.length(1);
    const audio = heard.utterances[0]!;
    const loud = blocks(audio).filter((r) => r > 0.01).length;
    console.log(`[vad] model missing: ${Math.round(audio.length / 16)} ms captured went to the STT, ${loud} loud blocks`);
    expect(audio.length / 16).to.be.above(truth.segments[0]!.endMs);
    // The question is in it: about 1.5 s of speech (47 blocks of 32 ms) over -40 dBFS.
    expect(loud).to.be.above(25);
  });
});
