import { expect } from '@esm-bundle/chai';
import '../../src/voice-assistant.js';
import { mount, record } from '../helpers/element.js';
import { gesture } from '../helpers/gesture.js';

const launcher = (el: HTMLElement) => el.shadowRoot!.querySelector('button[part="launcher"]') as HTMLButtonElement;
const until = async (cond: () => boolean, ms = 10000) => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('<voice-assistant> shell', () => {
  afterEach(() => document.querySelectorAll('voice-assistant').forEach((e) => e.remove()));

  it('starts idle with an accessible, unpressed launcher and the idle custom state', async () => {
    const el = await mount();
    const b = launcher(el);
    expect(el.state).to.equal('idle');
    expect(b.getAttribute('aria-pressed')).to.equal('false');
    expect(b.getAttribute('aria-label')).to.equal('Voice assistant');
    expect(b.tabIndex).to.equal(0);
    expect(el.matches(':state(idle)')).to.equal(true);
    expect(el.matches(':state(listening)')).to.equal(false);
  });

  it('is operable from the keyboard: Enter starts, Escape stops', async () => {
    const el = await mount();
    const states = record<{ state: string; previous: string }>(el, 'voice-state');
    launcher(el).focus();
    expect(el.shadowRoot!.activeElement).to.equal(launcher(el));
    // A real key press through the browser (not a synthetic event): Enter activates a button.
    const { sendKeys } = await import('@web/test-runner-commands');
    await sendKeys({ press: 'Enter' });
    await until(() => states.events.length > 0);
    expect(states.events[0].detail).to.deep.equal({ state: 'loading', previous: 'idle' });
    expect(el.matches(':state(loading)') || el.state !== 'loading').to.equal(true);
    await until(() => el.state !== 'loading');
    await sendKeys({ press: 'Escape' });
    await until(() => el.state === 'idle' || el.state === 'error');
    if (el.state === 'error') {
      // the pipeline refused (e.g. missing in this build): Escape has nothing to stop
      expect(el.shadowRoot!.querySelector('[part="status"]')!.textContent).to.not.equal('');
    } else {
      expect(launcher(el).getAttribute('aria-pressed')).to.equal('false');
    }
    expect(states.events.every((e, i) => i === 0 || e.detail.previous === states.events[i - 1].detail.state)).to.equal(true);
  });

  it('has an empty live region before the panel code arrives, then shows status, meter and transcript', async () => {
    const el = await mount({ variant: 'inline', preload: 'none' });
    const root = el.shadowRoot!;
    // Made by the entry: present and empty before anything is to be announced.
    const live = root.querySelector('[role="status"]')!;
    expect(live.textContent).to.equal('');
    expect(root.querySelector('[part="panel"]')).to.equal(null);
    el.preloader.run();
    await until(() => !!root.querySelector('[part="panel"]'));
    expect(root.querySelectorAll('[role="status"]')).to.have.length(1);
    expect(root.querySelector('[role="status"]')).to.equal(live);
    expect(root.querySelector('[part="status"]')!.textContent).to.equal('Press the button and speak, or type below');
    expect(root.querySelector('[part="meter"]')!.getAttribute('role')).to.equal('meter');
    expect(root.querySelector('[part="transcript"]')!.getAttribute('aria-label')).to.equal('Conversation');
    expect(root.querySelector('[part="panel"]')!.hasAttribute('hidden')).to.equal(false);
  });

  it('floats out of the page flow and honours the custom properties', async () => {
    const host = document.createElement('div');
    host.style.setProperty('--voice-accent', 'rgb(255, 0, 0)');
    document.body.append(host);
    const el = await mount({}, host);
    const cs = getComputedStyle(el);
    expect(cs.position).to.equal('fixed');
    expect(getComputedStyle(launcher(el)).backgroundColor).to.equal('rgb(255, 0, 0)');
    expect(host.getBoundingClientRect().height).to.equal(0);
    host.remove();
  });

  it('causes no layout shift when the floating widget is inserted', async () => {
    const page = document.createElement('main');
    page.innerHTML = '<h1>Host page</h1>' + '<p>Some text of the host page.</p>'.repeat(20);
    document.body.append(page);
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    let shift = 0;
    let entries = 0;
    const po = new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number })[]) {
        shift += e.value;
        entries++;
      }
    });
    po.observe({ type: 'layout-shift', buffered: false });
    const before = page.getBoundingClientRect().top;
    const el = await mount({}, page.querySelector('h1')!.parentElement!);
    page.prepend(el);
    await el.updateComplete;
    await new Promise((r) => setTimeout(r, 300));
    po.disconnect();
    expect(page.getBoundingClientRect().top).to.equal(before);
    expect(entries, 'layout-shift entries').to.equal(0);
    expect(shift).to.equal(0);
    page.remove();
  });

  it('asks for consent before opening the microphone', async () => {
    const el = await mount({ consent: 'Recordings are processed on our server.' });
    const states = record(el, 'voice-state');
    await gesture();
    await el.start();
    await el.updateComplete;
    const root = el.shadowRoot!;
    expect(root.textContent).to.contain('Recordings are processed on our server.');
    expect(states.events).to.have.length(0);
    const decline = [...root.querySelectorAll('.consent button')].find((b) => b.textContent === 'Decline') as HTMLButtonElement;
    decline.click();
    await el.updateComplete;
    expect(root.querySelector('.consent')).to.equal(null);
    expect(el.state).to.equal('idle');
  });
});
