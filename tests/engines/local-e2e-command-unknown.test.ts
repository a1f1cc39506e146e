// @fixture command-unknown.wav
import { expect } from '@esm-bundle/chai';
import { COMMANDS, cdnPaths, mountOffline, resetCdn, until } from './local-engines/e2e.js';
import { gesture } from '../helpers/gesture.js';

describe('<voice-assistant> mode="command", stt="local", a phrase outside the grammar (built)', () => {
  it('recognises it (the model is loaded and run) but fires no voice-command', async function () {
    this.timeout(90000);
    await resetCdn();
    const { el, log, close } = await mountOffline({ mode: 'command', commands: COMMANDS, stt: 'local', tts: 'none' });
    try {
      await gesture();
      await el.start();
      const states = () => log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state as string);
      await until(() => states().includes('transcribing'), 30000, 'the utterance to reach the recogniser');
      await until(() => states().at(-1) !== 'transcribing', 60000, 'the recogniser to answer');
      await new Promise((r) => setTimeout(r, 500));
      console.log(`[local command, unknown] states ${states().join(' > ')}; events ${log.map((e) => e.type).join(', ')}`);
      expect(log.filter((e) => e.type === 'voice-error').map((e) => e.detail)).to.deep.equal([]);
      expect(log.filter((e) => e.type === 'voice-command')).to.deep.equal([]);
      // The local recogniser heard filler, not a command: no transcript either.
      expect(log.filter((e) => e.type === 'voice-transcript')).to.deep.equal([]);
      expect(await cdnPaths()).to.include.members(['/sphinx-worker.js', '/sphinx-en-us/dict.txt']);
    } finally {
      close();
    }
  });
});
