import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { referenceServer } from '../conversation/e2e.js';
import { PlaybackProbe, until } from '../conversation/playback-probe.js';
import { mount, record } from '../helpers/element.js';

// Typing instead of speaking (issue 15): the panel's text field sends the message through the
// same turn as speech (voice-transcript, chat on the real reference server, streamed answer as
// captions, spoken by the remote TTS unless muted), and the microphone is never asked for.

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`) as HTMLElement | null;

describe('<voice-assistant> text input', () => {
  let gum = 0;
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  let probe: PlaybackProbe;
  beforeEach(() => {
    gum = 0;
    // A counting wrapper around the real method (not a fake): the assertion is that it is never called.
    navigator.mediaDevices.getUserMedia = (c) => (gum++, original(c));
    probe = new PlaybackProbe();
  });
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = original;
    probe.dispose();
    document.querySelectorAll('voice-assistant').forEach((e) => e.remove());
  });

  async function typed(attrs: Record<string, string> = {}) {
    const base = await referenceServer();
    const el: VoiceAssistant = await mount({
      variant: 'inline',
      preload: 'eager',
      endpoint: `${base}/v1`,
      'token-url': `${base}/token`,
      tts: 'remote',
      voice: 'kal16',
      ...attrs,
    });
    await until(() => !!part(el, 'input'), 20000, 'the text field');
    return el;
  }

  it('a typed question gets a streamed, spoken answer and captions of both sides, without the microphone', async function () {
    this.timeout(60000);
    const el = await typed();
    const log = record<{ text: string; final: boolean; engine?: string; state?: string }>(el, 'voice-transcript', 'voice-response', 'voice-state');
    const input = part(el, 'input') as HTMLInputElement;
    expect(input.getAttribute('aria-label')).to.equal('Type a message');
    input.focus();
    await sendKeys({ type: 'When are you open?' });
    await sendKeys({ press: 'Enter' });
    await until(() => log.events.some((e) => e.type === 'voice-response' && e.detail.final), 30000, 'the final answer');
    await until(() => probe.audibleMs > 300, 20000, 'the answer to be heard');
    await until(() => el.state === 'idle', 30000, 'the end of the answer');
    expect(input.value, 'the field is emptied').to.equal('');
    const transcript = log.events.find((e) => e.type === 'voice-transcript')!.detail;
    expect(transcript.text).to.equal('When are you open?');
    expect(transcript.engine).to.equal('text');
    const responses = log.events.filter((e) => e.type === 'voice-response');
    const answer = responses[responses.length - 1]!.detail.text;
    expect(answer).to.match(/open/i);
    expect(responses.filter((e) => !e.detail.final).length, 'streamed').to.be.at.least(1);
    const states = log.events.filter((e) => e.type === 'voice-state').map((e) => e.detail.state);
    expect(states).to.deep.equal(['thinking', 'speaking', 'idle']);
    const lines = [...el.shadowRoot!.querySelectorAll('[part="transcript"] li')].map((li) => [li.className, li.textContent]);
    expect(lines).to.deep.equal([
      ['user', 'When are you open?'],
      ['assistant', answer],
    ]);
    // The live region (made by the entry, before the chunk) said the answer.
    expect(el.shadowRoot!.querySelector('.sr[role="status"]')!.textContent).to.equal(`Assistant: ${answer}`);
    expect(gum, 'getUserMedia calls').to.equal(0);
  });

  it('mute keeps the captions but plays no sound', async function () {
    this.timeout(60000);
    const el = await typed();
    const mute = part(el, 'mute') as HTMLButtonElement;
    expect(mute.getAttribute('aria-pressed')).to.equal('false');
    mute.click();
    await el.updateComplete;
    expect(mute.getAttribute('aria-pressed')).to.equal('true');
    const log = record<{ text: string; final: boolean }>(el, 'voice-response', 'voice-state');
    await el.send('Where is the shop?');
    await until(() => el.state === 'idle', 30000, 'the end of the turn');
    const final = log.events.find((e) => e.type === 'voice-response' && e.detail.final);
    expect(final?.detail.text).to.match(/\w+/);
    expect(el.shadowRoot!.querySelector('[part="transcript"] li.assistant')!.textContent).to.equal(final!.detail.text);
    // Give any sound time to appear, then assert there was none.
    await new Promise((r) => setTimeout(r, 1000));
    expect(probe.audibleMs).to.equal(0);
    expect(log.events.map((e) => (e.detail as unknown as { state?: string }).state).filter(Boolean)).to.not.include('speaking');
    expect(gum).to.equal(0);
  });

  it('muting while the answer plays silences it at once', async function () {
    this.timeout(60000);
    const el = await typed();
    void el.send('When are you open on Sunday and on holidays?');
    await until(() => el.state === 'speaking', 30000, 'speaking');
    await until(() => probe.audibleMs > 50, 5000, 'sound');
    (part(el, 'mute') as HTMLButtonElement).click();
    await new Promise((r) => setTimeout(r, 200));
    const heard = probe.audibleMs;
    await new Promise((r) => setTimeout(r, 800));
    expect(probe.audibleNow).to.equal(false);
    expect(probe.audibleMs - heard, 'sound after mute (ms)').to.be.below(30);
  });

  it('text-input="false" shows no text field', async () => {
    const el = await mount({ variant: 'inline', preload: 'eager', 'text-input': 'false' });
    await until(() => !!part(el, 'panel'), 20000, 'the panel');
    expect(part(el, 'input')).to.equal(null);
    expect(el.textInput).to.equal(false);
  });
});
