// @fixture command-unknown.wav
import { commandCase } from './e2e-command.js';

describe('<voice-assistant> command mode: an unknown phrase', () => {
  it('fires no voice-command', async function () {
    this.timeout(60000);
    await commandCase('command-unknown.wav', null);
  });
});
