// @fixture question.wav
import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { defineBuilt, referenceServer } from './e2e.js';

// Push-to-talk from the keyboard (issue 15), with the built element, the fake microphone saying
// "what are your opening hours" (1.5 s .. 3.0 s) and the reference server: holding Space on the
// launcher listens; letting go closes the microphone once the utterance has ended, and the turn
// goes on to a transcript and an answer. A short tap of Space toggles instead.

type El = HTMLElement & { state: string; stop(): void; speak(t: string): Promise<void>; debugHeld(): string[] };

async function widget(): Promise<{ el: El; log: { type: string; detail: any }[] }> {
  await defineBuilt();
  const base = await referenceServer();
  const el = document.createElement('voice-assistant') as El;
  const attrs = { preload: 'none', endpoint: `${base}/v1`, 'token-url': `${base}/token`, stt: 'remote', tts: 'none', chat: 'remote' };
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  const log: { type: string; detail: any }[] = [];
  for (const type of ['voice-state', 'voice-speech-start', 'voice-speech-end', 'voice-transcript', 'voice-response', 'voice-error']) {
    el.addEventListener(type, (e) => log.push({ type, detail: (e as CustomEvent).detail }));
  }
  await el.speak('');
  (el.shadowRoot!.querySelector('[part="launcher"]') as HTMLElement).focus();
  return { el, log };
}

const until = async (cond: () => boolean, ms: number, what: string) => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('<voice-assistant> push-to-talk (hold Space on the launcher)', () => {
  afterEach(() => document.querySelectorAll('voice-assistant').forEach((e) => e.remove()));

  it('listens while Space is held; let go, the utterance is answered and the microphone closes', async function () {
    this.timeout(90000);
    const { el, log } = await widget();
    await sendKeys({ down: ' ' });
    await until(() => log.some((e) => e.type === 'voice-speech-start'), 30000, 'speech');
    // Let go while still speaking (the sentence ends at 3.0 s).
    await sendKeys({ up: ' ' });
    expect(el.state).to.equal('user-speaking');
    await until(() => log.some((e) => e.type === 'voice-response' && e.detail.final), 40000, 'the answer');
    await until(() => el.state === 'idle', 20000, 'idle');
    const transcript = log.find((e) => e.type === 'voice-transcript')!.detail;
    expect(transcript.text.toLowerCase()).to.match(/opening hours/);
    const states = log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state);
    expect(states.slice(0, 3)).to.deep.equal(['loading', 'listening', 'user-speaking']);
    expect(states[states.length - 1]).to.equal('idle');
    expect(states.indexOf('listening', 2)).to.equal(-1);
    expect(el.debugHeld().filter((h) => /^listening|capture/.test(h))).to.deep.equal([]);
    expect(log.filter((e) => e.type === 'voice-error')).to.deep.equal([]);
  });

  it('a tap of Space toggles listening on, another tap off', async function () {
    this.timeout(60000);
    const { el, log } = await widget();
    await sendKeys({ press: ' ' });
    await until(() => el.state === 'listening' || el.state === 'user-speaking', 30000, 'listening');
    await new Promise((r) => setTimeout(r, 300));
    expect(['listening', 'user-speaking']).to.include(el.state);
    await sendKeys({ press: ' ' });
    await until(() => el.state === 'idle', 5000, 'idle');
    expect(log.filter((e) => e.type === 'voice-state').map((e) => e.detail.state).slice(0, 2)).to.deep.equal(['loading', 'listening']);
  });
});
