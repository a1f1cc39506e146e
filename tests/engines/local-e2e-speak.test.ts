import { expect } from '@esm-bundle/chai';
import { LOCAL_FILE, cdnPaths, foreignOrigins, mountOffline, probePlayback, resetCdn } from './local-engines/e2e.js';

describe('<voice-assistant> tts="local" (built, no endpoint)', () => {
  before(() => resetCdn());

  it('speak() plays Flite audio of a plausible length and non-zero energy, loading Flite only then', async function () {
    this.timeout(60000);
    const { el, log, close } = await mountOffline({ tts: 'local' });
    try {
      const probe = await probePlayback(el);
      expect((await cdnPaths()).filter((p) => LOCAL_FILE.test(p)), 'local engine files before the first sentence').to.deep.equal([]);
      const text = 'Hello from the browser. This voice needs no server at all.';
      await el.speak(text);
      await new Promise((r) => setTimeout(r, 300));
      probe.dispose();
      const words = text.split(' ').length;
      console.log(`[local tts] ${words} words: audible ${Math.round(probe.audibleMs)} ms, peak rms ${probe.peakRms.toFixed(3)}`);
      expect(log.filter((e) => e.type === 'voice-error').map((e) => e.detail)).to.deep.equal([]);
      // Audible time leaves out the pauses, so its floor is lower than the speech's length.
      expect(probe.audibleMs).to.be.within(0.18 * words * 1000, 0.6 * words * 1000);
      expect(probe.peakRms).to.be.greaterThan(0.02);
      const local = (await cdnPaths()).filter((p) => LOCAL_FILE.test(p));
      expect(local).to.include.members(['/flite.wasm']);
      expect(local.filter((p) => p.startsWith('/sphinx')), 'speaking loads no recogniser').to.deep.equal([]);
      expect(foreignOrigins()).to.deep.equal([]);
    } finally {
      close();
    }
  });
});
