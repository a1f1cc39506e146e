import { expect } from '@esm-bundle/chai';
import { converse, truth } from './e2e.js';

export const COMMANDS = 'turn on the lights; turn off the lights; next page; previous page';

/** Listens to a command fixture in command mode; expects `phrase`, or no command at all. */
export async function commandCase(fixture: string, phrase: string | null) {
  const t = await truth(fixture);
  // The default chain (remote, then local): the reference server's open-vocabulary recogniser.
  const c = await converse({ mode: 'command', commands: COMMANDS, stt: 'remote local' });
  try {
    const transcript = await c.next('voice-transcript', undefined, 40000);
    await new Promise((r) => setTimeout(r, 300));
    const commands = c.log.filter((e) => e.type === 'voice-command').map((e) => e.detail);
    console.log(`[command] ${fixture}: heard "${transcript.detail.text}" (${transcript.detail.engine}) for "${t?.text ?? '?'}" -> ${JSON.stringify(commands)}`);
    if (phrase) {
      expect(commands).to.have.length(1);
      expect(commands[0].phrase).to.equal(phrase);
      expect(commands[0].confidence).to.be.within(0.6, 1);
    } else {
      expect(commands).to.deep.equal([]);
    }
  } finally {
    c.close();
  }
}
