// @fixture human/vm-nobodyavail.clean.wav
import { expectWholeSpan } from './human-edges.js';

describe('<voice-assistant> VAD on human speech: vm-nobodyavail (clean)', () => {
  it('hands over an utterance that holds the whole spoken span, its first and last 100 ms as loud as in the file', async () => {
    await expectWholeSpan('vm-nobodyavail', 'clean');
  });
});
