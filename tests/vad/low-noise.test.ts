// @fixture low-noise.wav
import { expectNoSegment } from './listen.js';

describe('<voice-assistant> VAD: low-noise', () => {
  it('emits no segment and stays listening', () => expectNoSegment('low-noise.wav'));
});
