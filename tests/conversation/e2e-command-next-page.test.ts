// @fixture command-next-page.wav
import { commandCase } from './e2e-command.js';

describe('<voice-assistant> command mode: another known phrase', () => {
  // Skipped: with Chromium's noise suppression on (the capture default), this synthetic "next
  // page" reaches neither recogniser intact ("not scared", "no state"; the grammar recogniser's
  // garbage loop wins); with noise suppression off the server hears "next stage" and the command
  // matches. Choosing the processing by measurement is issue 16 (capture transparency).
  it.skip('fires voice-command with the right phrase', async function () {
    this.timeout(60000);
    await commandCase('command-next-page.wav', 'next page');
  });
});
