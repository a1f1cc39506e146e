import { expect } from '@esm-bundle/chai';
import { RESILIENCE_DEFAULTS } from '../../src/resilience/session-resilience.js';
import { backup, mount, type Mounted } from '../resilience/harness.js';
import { base } from './providers/providers.js';

/**
 * A chat answer that streams for 40 s (a slow local model) arrives whole in Chromium with the
 * default timings (chat timeout 20 s, stall guard 15 s): the timeout covers the wait for the
 * response head, never a stream that keeps flowing. In its own file so the defaults are untouched.
 */
const slowAnswer = (s: number) => Array.from({ length: s }, (_, i) => `${i ? ' ' : ''}${i % 5 === 4 ? `part ${i + 1}.` : `part ${i + 1}`}`).join('');

describe('<voice-assistant> a 40 s streamed answer', () => {
  let m: Mounted;
  afterEach(() => m?.remove());

  it('arrives whole, is spoken sentence by sentence, and no error is reported', async function () {
    this.timeout(90_000);
    expect(RESILIENCE_DEFAULTS.timeoutMs.chat).to.equal(20_000);
    RESILIENCE_DEFAULTS.database = `va-slow-${Date.now()}`;
    m = await mount({ 'chat-endpoint': base('vllm-chat', `slow-${Date.now()}`, 'slow-40'), stt: 'backup-stt', tts: 'backup-tts' });
    const t0 = performance.now();
    await m.utter();
    const took = performance.now() - t0;
    console.log(`[slow answer] ${Math.round(took)} ms for 40 pieces a second apart`);
    expect(took).to.be.above(38_500); // 39 one-second gaps
    expect(m.of('voice-error')).to.deep.equal([]);
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: slowAnswer(40), final: true });
    expect(backup.ttsTexts.length).to.equal(8);
    expect(backup.ttsTexts.at(-1)).to.equal('part 36 part 37 part 38 part 39 part 40.');
  });
});
