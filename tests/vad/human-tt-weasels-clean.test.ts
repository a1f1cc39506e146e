// @fixture human/tt-weasels.clean.wav
import { expectWholeSpan } from './human-edges.js';

describe('<voice-assistant> VAD on human speech: tt-weasels (clean)', () => {
  it('hands over an utterance that holds the whole spoken span, its first and last 100 ms as loud as in the file', async () => {
    await expectWholeSpan('tt-weasels', 'clean');
  });
});
