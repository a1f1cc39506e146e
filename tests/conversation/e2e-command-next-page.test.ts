// @fixture command-next-page.wav
import { commandCase } from './e2e-command.js';

describe('<voice-assistant> command mode: another known phrase', () => {
  it('fires voice-command with the right phrase', async function () {
    this.timeout(60000);
    await commandCase('command-next-page.wav', 'next page');
  });
});
