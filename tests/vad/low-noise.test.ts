// @fixture low-noise.wav
import { expect } from '@esm-bundle/chai';
import { fixture, listen, report } from './listen.js';

describe('<voice-assistant> VAD: low-noise', () => {
  it('emits no segment and stays listening', async () => {
    const truth = await fixture('low-noise.wav');
    const heard = await listen({}, truth.durationMs! + 600);
    report('low-noise', heard, truth.segments);
    expect(heard.errors).to.deep.equal([]);
    expect(heard.starts).to.deep.equal([]);
    expect(heard.ends).to.deep.equal([]);
    expect(heard.utterances).to.deep.equal([]);
    expect(heard.states).to.deep.equal(['loading', 'listening', 'idle']);
    // The VAD did run over the whole file (it is not silent because it heard nothing).
    expect(heard.stats!.audioMs).to.be.at.least(truth.durationMs! - 200);
  });
});
