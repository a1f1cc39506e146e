import { expect } from '@esm-bundle/chai';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { defineBuilt } from '../conversation/e2e.js';
import { until } from '../conversation/playback-probe.js';
import { gesture, realClick } from '../helpers/gesture.js';

// The built element (npm run build), as in tests/controllers/lifecycle.test.ts: a real start.

const TEXT = 'Your speech is sent to our server to be transcribed.';

/** Counts microphone requests (the real getUserMedia still runs: Chromium's fake device). */
function countMicrophone() {
  const real = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  const calls: number[] = [];
  navigator.mediaDevices.getUserMedia = (c) => (calls.push(performance.now()), real(c));
  return { calls, restore: () => (navigator.mediaDevices.getUserMedia = real) };
}

describe('consent: asked before the microphone, remembered per origin, revocable', () => {
  let mic: ReturnType<typeof countMicrophone>;
  const els: VoiceAssistant[] = [];
  const make = async (consent: string) => {
    await defineBuilt();
    const el = document.createElement('voice-assistant') as VoiceAssistant;
    for (const [k, v] of Object.entries({ consent, preload: 'none', mode: 'dictation', stt: 'local', tts: 'none' })) el.setAttribute(k, v);
    el.addEventListener('voice-error', (e) => console.log('voice-error', JSON.stringify(e.detail)));
    document.body.append(el);
    await el.updateComplete;
    els.push(el);
    return el;
  };
  beforeEach(() => {
    localStorage.removeItem('voice-assistant-consent');
    mic = countMicrophone();
  });
  afterEach(() => {
    mic.restore();
    for (const el of els.splice(0)) (el.stop(), el.remove());
    localStorage.removeItem('voice-assistant-consent');
  });

  it('opens no microphone without a user gesture: start() from script fires gesture-required; a real click on the launcher opens it', async function () {
    this.timeout(60000);
    await defineBuilt();
    const el = document.createElement('voice-assistant') as VoiceAssistant;
    for (const [k, v] of Object.entries({ preload: 'none', mode: 'dictation', stt: 'local', tts: 'none' })) el.setAttribute(k, v);
    const errors: { code: string; recoverable: boolean; message: string }[] = [];
    el.addEventListener('voice-error', (e) => errors.push(e.detail));
    document.body.append(el);
    els.push(el);
    await el.updateComplete;
    // An earlier test's click may still count (transient activation lasts ~5 s in Chromium).
    await until(() => !navigator.userActivation.isActive, 8000, 'no user activation');
    await el.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(mic.calls, 'no getUserMedia outside a gesture').to.have.length(0);
    expect(el.state).to.equal('idle');
    expect(errors.map((e) => [e.code, e.recoverable])).to.deep.equal([['gesture-required', true]]);
    expect(errors[0]!.message).to.match(/press the button/i);
    // The visitor clicks the launcher: that is the gesture.
    await realClick(el.shadowRoot!.querySelector('[part="launcher"]')!);
    await until(() => el.state === 'listening', 30000, 'listening after a real click');
    expect(mic.calls).to.have.length(1);
    el.stop();
  });

  it('opens no microphone until the visitor accepts, then does not ask again on this origin', async function () {
    this.timeout(60000);
    const first = await make(TEXT);
    await gesture();
    await first.start();
    await first.updateComplete;
    const prompt = first.shadowRoot!.querySelector('.consent');
    expect(prompt?.textContent).to.contain(TEXT);
    expect(mic.calls).to.have.length(0);
    await realClick(prompt!.querySelector('button')!); // Accept: a real click, the gesture that opens the microphone
    await until(() => mic.calls.length === 1, 20000, 'microphone after accepting');
    await until(() => first.state === 'listening', 30000, 'listening');
    first.stop();

    // A later page on the same origin (a new element): no prompt, the microphone opens.
    const later = await make(TEXT);
    await gesture();
    await later.start();
    await later.updateComplete;
    expect(later.shadowRoot!.querySelector('.consent')).to.equal(null);
    await until(() => mic.calls.length === 2, 20000, 'microphone without asking again');
    later.stop();

    // A changed text is asked again.
    const changed = await make(`${TEXT} And stored for 30 days.`);
    await gesture();
    await changed.start();
    await changed.updateComplete;
    expect(changed.shadowRoot!.querySelector('.consent')).to.not.equal(null);
    expect(mic.calls).to.have.length(2);
  });

  it('asks again after revokeConsent(), and stops listening', async function () {
    this.timeout(60000);
    localStorage.setItem('voice-assistant-consent', TEXT);
    const el = await make(TEXT);
    await gesture();
    await el.start();
    await until(() => el.state === 'listening', 30000, 'listening without a prompt');
    await el.revokeConsent();
    expect(el.state).to.equal('idle');
    expect(localStorage.getItem('voice-assistant-consent')).to.equal(null);
    await gesture();
    await el.start();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.consent')?.textContent).to.contain(TEXT);
    expect(mic.calls).to.have.length(1);
  });
});
