// @fixture silence.wav
import { expectNoSegment } from './listen.js';

describe('<voice-assistant> VAD: silence', () => {
  it('emits no segment and stays listening', () => expectNoSegment('silence.wav'));
});
