// @fixture command-lights-on.wav
import { commandCase } from './e2e-command.js';

describe('<voice-assistant> command mode: a known phrase', () => {
  it('fires voice-command with the right phrase', async function () {
    this.timeout(60000);
    await commandCase('command-lights-on.wav', 'turn on the lights');
  });
});
