import { expect } from '@esm-bundle/chai';
import { sendKeys } from '@web/test-runner-commands';
import { gesture } from '../helpers/gesture.js';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { until } from '../conversation/playback-probe.js';
import { mount, record } from '../helpers/element.js';

// Keyboard-only and screen-reader paths of the panel (issue 15): focus order, names and roles,
// the close control, Escape from anywhere in the panel, focus back to the launcher, a visible
// focus ring, and the live region announcing state changes and both sides of the conversation.

const root = (el: HTMLElement) => el.shadowRoot!;
const part = (el: HTMLElement, name: string) => root(el).querySelector(`[part="${name}"]`) as HTMLElement | null;
const focused = (el: HTMLElement) => (root(el).activeElement as HTMLElement | null)?.getAttribute('part') ?? null;
const live = (el: HTMLElement) => root(el).querySelector('[role="status"]')!;
const hidden = (el: HTMLElement) => part(el, 'panel')!.hidden;

/** A floating widget whose page answers (no server, no speech): a typed turn opens the panel. */
async function answered(): Promise<VoiceAssistant> {
  const el = await mount({ tts: 'none', preload: 'none' });
  el.responder = async function* () {
    yield 'Hello ';
    yield 'there.';
  };
  await el.send('Hi');
  await until(() => el.state === 'idle' && !!part(el, 'close'), 10000, 'the answer');
  await el.updateComplete;
  return el;
}

describe('<voice-assistant> panel from the keyboard', () => {
  afterEach(() => document.querySelectorAll('voice-assistant').forEach((e) => e.remove()));

  it('stays open after a turn, with captions of both sides and a named close control', async () => {
    const el = await answered();
    expect(hidden(el)).to.equal(false);
    const lines = [...root(el).querySelectorAll('[part="transcript"] li')].map((li) => li.textContent);
    expect(lines).to.deep.equal(['Hi', 'Hello there.']);
    expect(part(el, 'close')!.tagName).to.equal('BUTTON');
    expect(part(el, 'close')!.getAttribute('aria-label')).to.equal('Close');
    expect(part(el, 'mute')!.getAttribute('aria-label')).to.equal('Mute spoken answers');
    expect(part(el, 'panel')!.getAttribute('aria-label')).to.equal('Voice assistant');
    expect(live(el).textContent).to.equal('Assistant: Hello there.');
  });

  it('Tab goes launcher -> mute -> close -> text field -> send; Escape in the text field closes and focuses the launcher', async () => {
    const el = await answered();
    part(el, 'launcher')!.focus();
    const order = [focused(el)];
    for (let i = 0; i < 4; i++) {
      await sendKeys({ press: 'Tab' });
      order.push(focused(el));
    }
    expect(order).to.deep.equal(['launcher', 'mute', 'close', 'input', 'send']);
    await sendKeys({ press: 'Shift+Tab' });
    expect(focused(el)).to.equal('input');
    await sendKeys({ type: 'half typed' });
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(hidden(el)).to.equal(true);
    expect(el.state).to.equal('idle');
    expect(focused(el)).to.equal('launcher');
  });

  it('the close control stops listening, hides the panel and gives focus back to the launcher', async () => {
    const el = await mount({ tts: 'none', preload: 'none' });
    const states = record<{ state: string }>(el, 'voice-state');
    part(el, 'launcher')!.focus();
    await sendKeys({ press: 'Enter' });
    await until(() => !!part(el, 'close') && el.state !== 'loading', 30000, 'the panel');
    await el.updateComplete;
    expect(hidden(el)).to.equal(false);
    part(el, 'close')!.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.state).to.equal('idle');
    expect(hidden(el)).to.equal(true);
    expect(focused(el)).to.equal('launcher');
    expect(states.events[0]!.detail.state).to.equal('loading');
    expect(states.events[states.events.length - 1]!.detail.state).to.equal('idle');
    expect(el.debugHeld().filter((h) => h.startsWith('listening'))).to.deep.equal([]);
  });

  it('announces state changes through the live region that existed before', async () => {
    const el = await mount({ tts: 'none', preload: 'none' });
    const region = live(el);
    const said: string[] = [];
    new MutationObserver(() => said.push(region.textContent ?? '')).observe(region, { childList: true, characterData: true, subtree: true });
    await gesture();
    el.toggle();
    await until(() => el.state === 'listening' || el.state === 'error', 30000, 'listening');
    await new Promise((r) => setTimeout(r, 50));
    expect(live(el)).to.equal(region);
    expect(said).to.include(el.state === 'listening' ? 'Listening…' : (part(el, 'status')!.textContent ?? '?'));
    el.stop();
  });

  it('draws a visible focus ring on keyboard focus', async () => {
    const el = await answered();
    part(el, 'launcher')!.focus();
    await sendKeys({ press: 'Tab' });
    const mute = part(el, 'mute')!;
    expect(focused(el)).to.equal('mute');
    const cs = getComputedStyle(mute);
    expect(cs.outlineStyle).to.equal('solid');
    expect(parseFloat(cs.outlineWidth)).to.be.at.least(2);
  });

  it('every control is at least 44 px square', async () => {
    const el = await answered();
    for (const name of ['launcher', 'mute', 'close', 'send', 'input']) {
      const r = part(el, name)!.getBoundingClientRect();
      expect(Math.min(r.width, r.height), name).to.be.at.least(44);
    }
  });
});
