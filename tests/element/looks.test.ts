import { expect } from '@esm-bundle/chai';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import type { Happening } from '../../src/session/state-machine.js';
import { until } from '../conversation/playback-probe.js';
import { mount } from '../helpers/element.js';

// The launcher and panel look follow every state (issue 15), with no motion under
// prefers-reduced-motion, light and dark schemes, and visible edges in forced colours. The
// states are reached through the element's real state machine (what the session tells it).

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`) as HTMLElement;
const PATH: Record<string, Happening[]> = {
  idle: [],
  loading: ['activate'],
  listening: ['activate', 'listen'],
  'user-speaking': ['activate', 'listen', 'speech'],
  thinking: ['activate', 'listen', 'speech', 'utterance', 'transcript'],
  speaking: ['activate', 'listen', 'speech', 'utterance', 'transcript', 'audio'],
  error: ['activate', 'fail'],
};

async function inState(state: string, attrs: Record<string, string> = {}): Promise<VoiceAssistant> {
  const el = await mount({ variant: 'inline', preload: 'none', ...attrs });
  el.preloader.run();
  await until(() => !!part(el, 'panel'), 10000, 'the panel');
  for (const h of PATH[state]!) el.machine.send(h);
  await el.updateComplete;
  await settle(el);
  expect(el.state).to.equal(state);
  return el;
}

/** Lets the CSS transitions between states finish (a computed style mid-transition is in between). */
const settle = (el: VoiceAssistant) =>
  Promise.all(el.shadowRoot!.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)));

const look = (el: VoiceAssistant) => {
  const cs = getComputedStyle(part(el, 'launcher'));
  return { shadow: cs.boxShadow, animation: `${cs.animationName} ${cs.animationDuration}`, background: cs.backgroundColor, transform: cs.transform };
};

describe('<voice-assistant> looks', () => {
  afterEach(async () => {
    document.querySelectorAll('voice-assistant').forEach((e) => e.remove());
    await emulateMedia({ reducedMotion: 'no-preference', colorScheme: 'light', forcedColors: 'none' });
  });

  it('the launcher looks different in every state', async () => {
    const looks: Record<string, string> = {};
    for (const state of Object.keys(PATH)) {
      const el = await inState(state);
      looks[state] = JSON.stringify(look(el));
      el.remove();
    }
    const distinct = new Set(Object.values(looks));
    expect(distinct.size, JSON.stringify(looks, null, 1)).to.equal(Object.keys(PATH).length);
    expect(JSON.parse(looks.error!).background).to.equal('rgb(185, 28, 28)');
    expect(JSON.parse(looks.speaking!).animation).to.equal('pulse 0.45s');
  });

  it('listening: the launcher ring and the meter follow the live input level', async () => {
    const el = await inState('listening');
    el.showLevel(0);
    await el.updateComplete;
    await settle(el);
    const quiet = look(el).shadow;
    el.showLevel(0.8);
    await el.updateComplete;
    await settle(el);
    const loud = look(el).shadow;
    expect(quiet).to.match(/0px 0px 0px 4px/);
    expect(loud).to.match(/0px 0px 0px 15\.2px/);
    expect(getComputedStyle(part(el, 'meter').querySelector('span')!).transform).to.equal('matrix(0.8, 0, 0, 1, 0, 0)');
    expect(part(el, 'meter').getAttribute('aria-valuenow')).to.equal('0.80');
  });

  it('no animation and no transition under prefers-reduced-motion', async () => {
    await emulateMedia({ reducedMotion: 'reduce' });
    for (const state of ['loading', 'thinking', 'speaking']) {
      const el = await inState(state);
      const cs = getComputedStyle(part(el, 'launcher'));
      expect(cs.animationName, state).to.equal('none');
      expect(cs.transitionDuration, state).to.match(/^0s/);
      expect(getComputedStyle(part(el, 'panel')).transitionDuration).to.match(/^0s/);
      el.remove();
    }
  });

  it('follows prefers-color-scheme: light and dark surfaces and text', async () => {
    await emulateMedia({ colorScheme: 'light' });
    let el = await inState('idle');
    expect(getComputedStyle(part(el, 'panel')).backgroundColor).to.equal('rgb(255, 255, 255)');
    expect(getComputedStyle(part(el, 'status')).color).to.equal('rgb(17, 24, 39)');
    el.remove();
    await emulateMedia({ colorScheme: 'dark' });
    el = await inState('idle');
    expect(getComputedStyle(part(el, 'panel')).backgroundColor).to.equal('rgb(31, 41, 55)');
    expect(getComputedStyle(part(el, 'status')).color).to.equal('rgb(249, 250, 251)');
  });

  it('forced colours: the launcher, panel, meter and controls keep visible edges', async () => {
    await emulateMedia({ forcedColors: 'active' });
    expect(matchMedia('(forced-colors: active)').matches).to.equal(true);
    const el = await inState('listening');
    el.showLevel(0.5);
    await el.updateComplete;
    const edge = (name: string, min: number) => {
      const cs = getComputedStyle(part(el, name));
      expect(cs.borderTopStyle, name).to.not.equal('none');
      expect(parseFloat(cs.borderTopWidth), name).to.be.at.least(min);
      expect(cs.borderTopColor, name).to.not.equal('rgba(0, 0, 0, 0)');
      expect(cs.borderTopColor, name).to.not.equal(getComputedStyle(part(el, 'panel')).backgroundColor);
    };
    edge('launcher', 2);
    edge('panel', 2);
    edge('meter', 1);
    edge('mute', 1);
    edge('input', 1);
    const bar = getComputedStyle(part(el, 'meter').querySelector('span')!);
    expect(bar.backgroundColor).to.not.equal('rgba(0, 0, 0, 0)');
  });
});
