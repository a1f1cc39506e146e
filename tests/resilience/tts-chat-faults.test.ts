import { expect } from '@esm-bundle/chai';
import { backup, fastResilience, mount, type Mounted } from './harness.js';
import { faultCount, faultEndpoint, resetFaults } from './fault-origin.js';
import { RESILIENCE_DEFAULTS } from '../../src/resilience/session-resilience.js';

/**
 * Speech synthesis and chat against the fault server. TTS (`tts="remote backup-tts"`): every
 * fault fails over per sentence to the next engine, nothing is reported, the whole sentence is
 * said. Chat (`chat="remote"`, the only chat engine): a failure before the first piece is
 * reported (recoverable) and `retry()` resends the utterance; a stream that stalls or breaks
 * after its first piece is never retried: what arrived is kept and the error reported.
 */
const TTS_FAULTS: [string, number][] = [
  ['500', 1],
  ['503', 3],
  ['reset', 3],
  ['hang', 1],
  ['malformed', 1],
  ['content-type', 1],
  ['truncated', 1],
];

describe('speech synthesis faults (fault server)', () => {
  let m: Mounted;
  beforeEach(async () => {
    await resetFaults();
    fastResilience();
  });
  afterEach(() => m?.remove());

  for (const [fault, requests] of TTS_FAULTS) {
    it(`${fault}: the sentence is said by the next engine, nothing is reported`, async () => {
      // 503 is retried twice after Retry-After: 1; the call's timeout must leave room for that.
      if (fault === '503') RESILIENCE_DEFAULTS.timeoutMs = { ...RESILIENCE_DEFAULTS.timeoutMs, tts: 6000 };
      m = await mount({ endpoint: faultEndpoint(fault, `tts-${fault}`), tts: 'remote backup-tts', chat: 'none' });
      await m.conversation.speak('The lights are on.');
      expect(backup.ttsTexts).to.deep.equal(['The lights are on.']);
      expect(m.failovers.map((f) => f.engine)).to.deep.equal(['remote']);
      expect(m.of('voice-error')).to.deep.equal([]);
      expect(await faultCount(`/t/tts-${fault}/`)).to.equal(requests);
    });
  }

  it('splits text over the TTS length limit at word boundaries, with a warning, losing nothing', async () => {
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (msg: string) => warnings.push(msg);
    try {
      // The sentence splitter already cuts at 240 characters; the TTS limit is the backstop
      // behind it, lowered here so that a 230-character sentence crosses it.
      RESILIENCE_DEFAULTS.ttsMaxChars = 100;
      m = await mount({ endpoint: faultEndpoint('500', 'tts-long'), tts: 'backup-tts', chat: 'none' });
      const long = `${'many words without an end '.repeat(8)}and then it stops here finally.`;
      await m.conversation.speak(long);
      expect(backup.ttsTexts.length).to.equal(3);
      expect(backup.ttsTexts.every((t) => t.length <= 100)).to.equal(true);
      expect(backup.ttsTexts.join(' ')).to.equal(long.trim());
      expect(warnings.length).to.equal(1);
      expect(warnings[0]).to.contain('split into 3 parts');
    } finally {
      console.warn = warn;
      RESILIENCE_DEFAULTS.ttsMaxChars = 1000;
    }
  });
});

describe('chat faults (fault server)', () => {
  let m: Mounted;
  beforeEach(async () => {
    await resetFaults();
    fastResilience();
  });
  afterEach(() => m?.remove());

  const chat = (fault: string, tag: string) =>
    mount({ endpoint: faultEndpoint(fault, tag), stt: 'backup-stt', tts: 'backup-tts', chat: 'remote' });

  it('answers normally: the SSE stream becomes the response and is spoken', async () => {
    m = await chat('ok', 'chat-ok');
    await m.utter();
    expect(m.of('voice-response').at(-1)).to.deep.equal({ text: 'Sure. The lights are on now.', final: true });
    expect(backup.ttsTexts).to.deep.equal(['Sure.', 'The lights are on now.']);
  });

  it('500 before the first token: reported, recoverable; retry() resends the utterance and gets the answer', async () => {
    m = await chat('500x1', 'chat-500');
    await m.utter();
    expect(m.of('voice-error').map((e) => [e.code, e.recoverable])).to.deep.equal([['engine-failed', true]]);
    expect(m.of('voice-response')).to.deep.equal([]);
    await m.conversation.retry();
    expect(m.of('voice-response').at(-1).text).to.equal('Sure. The lights are on now.');
    expect(backup.stt).to.equal(2);
    expect(await faultCount('/t/chat-500/')).to.equal(2);
  });

  // Complete sentences that arrived are spoken; the unfinished last one is shown, not spoken.
  const SPOKEN = { trickle: ['Sure.'], cut: ['Sure.'], malformed: [] };
  for (const [fault, code] of [['trickle', 'timeout'], ['cut', 'engine-failed'], ['malformed', 'engine-failed']] as const) {
    it(`${fault}: the stream breaks after its first piece; what arrived is kept and spoken, the error reported, no retry`, async () => {
      m = await chat(fault, `chat-${fault}`);
      const t0 = performance.now();
      await m.utter();
      expect(performance.now() - t0).to.be.below(4000);
      const final = m.of('voice-response').at(-1);
      expect(final.final).to.equal(true);
      expect(final.text.startsWith('Sure.')).to.equal(true);
      expect(backup.ttsTexts).to.deep.equal(SPOKEN[fault]);
      expect(m.of('voice-error').map((e) => e.code)).to.deep.equal([code]);
      expect(await faultCount(`/t/chat-${fault}/`)).to.equal(1);
      expect(m.el.state).to.equal('idle');
    });
  }
});
