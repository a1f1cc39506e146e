// @fixture command-lights-on.wav
import { expect } from '@esm-bundle/chai';
import { COMMANDS, LOCAL_FILE, cdnPaths, foreignOrigins, mountOffline, resetCdn, until } from './local-engines/e2e.js';
import { gesture } from '../helpers/gesture.js';

describe('<voice-assistant> mode="command", default engines, no endpoint (built)', () => {
  it('fires voice-command "turn on the lights" for the spoken command, recognised locally', async function () {
    this.timeout(90000);
    await resetCdn();
    // No stt/tts attributes: without an endpoint the default chains are local.
    const { el, log, close } = await mountOffline({ mode: 'command', commands: COMMANDS });
    try {
      expect((await cdnPaths()).filter((p) => LOCAL_FILE.test(p)), 'local engine files before first use').to.deep.equal([]);
      await gesture();
      const started = el.start();
      // The grammar recogniser loads while the user is still speaking, not after the command.
      await until(async () => (await cdnPaths()).includes('/sphinx-worker.js'), 20000, 'the local recogniser to load');
      expect(log.some((e) => e.type === 'voice-speech-end'), 'recogniser requested before the command ended').to.equal(false);
      await started;
      const end = performance.now() + 60000;
      while (!log.some((e) => e.type === 'voice-command' || e.type === 'voice-error') && performance.now() < end) {
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 500));
      const transcripts = log.filter((e) => e.type === 'voice-transcript').map((e) => e.detail);
      const commands = log.filter((e) => e.type === 'voice-command').map((e) => e.detail);
      console.log(`[local command] heard ${JSON.stringify(transcripts.map((t) => [t.text, t.engine]))} -> ${JSON.stringify(commands)}`);
      expect(log.filter((e) => e.type === 'voice-error').map((e) => e.detail)).to.deep.equal([]);
      expect(transcripts.map((t) => [t.text, t.engine])).to.deep.equal([['turn on the lights', 'local']]);
      expect(commands).to.have.length(1);
      expect(commands[0].phrase).to.equal('turn on the lights');
      expect(commands[0].confidence).to.be.within(0.9, 1);
      const local = (await cdnPaths()).filter((p) => LOCAL_FILE.test(p));
      expect(local).to.include.members(['/sphinx-worker.js', '/soundswallower.wasm', '/sphinx-en-us/mdef']);
      expect(foreignOrigins()).to.deep.equal([]);
    } finally {
      close();
    }
  });
});
