import { expect } from '@esm-bundle/chai';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { until } from '../conversation/playback-probe.js';
import { mount } from '../helpers/element.js';

// Host pages with aggressive global CSS (issue 15): the panel text keeps its designed size, the
// floating launcher stays fixed in its corner and visible, several instances and an iframe
// render and complete a (typed) turn.

const HOSTILE = {
  'all-unset': '* { all: unset !important; }',
  'no-buttons': 'button { display: none !important; }',
  'huge-font': '* { font-size: 40px !important; line-height: 3 !important; }',
  'z-index-war': 'div.cover { position: fixed !important; inset: 0 !important; z-index: 2147482000 !important; background: #fff8; }',
};

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`) as HTMLElement;

/** A typed turn the page answers: proves the widget works, not only that it draws. */
async function turn(el: VoiceAssistant, text = 'Hi') {
  el.responder = (q) => `You said ${q}.`;
  await el.send(text);
  await until(() => el.state === 'idle' && !!el.shadowRoot!.querySelector('[part="transcript"] li.assistant'), 10000, 'the answer');
  await el.updateComplete;
  return el.shadowRoot!.querySelector('[part="transcript"] li.assistant')!.textContent;
}

describe('<voice-assistant> on hostile host pages', () => {
  let style: HTMLStyleElement | undefined;
  let cover: HTMLElement | undefined;
  afterEach(() => {
    style?.remove();
    cover?.remove();
    document.querySelectorAll('voice-assistant, iframe').forEach((e) => e.remove());
  });
  const hostile = (css: string) => {
    style = document.createElement('style');
    style.textContent = css;
    document.head.append(style);
  };

  for (const [name, css] of Object.entries(HOSTILE)) {
    it(`${name}: the launcher stays fixed in its corner, the panel keeps its size, a turn completes`, async () => {
      hostile(css);
      if (name === 'z-index-war') {
        cover = document.createElement('div');
        cover.className = 'cover';
        document.body.append(cover);
      }
      const el = await mount({ tts: 'none', preload: 'none' });
      expect(getComputedStyle(el).position).to.equal('fixed');
      const b = part(el, 'launcher').getBoundingClientRect();
      expect([b.width, b.height]).to.deep.equal([56, 56]);
      expect(Math.round(innerWidth - b.right)).to.equal(16);
      expect(Math.round(innerHeight - b.bottom)).to.equal(16);
      // Nothing of the page covers it.
      const hit = document.elementFromPoint(b.left + 28, b.top + 28);
      expect(hit).to.equal(el);
      expect(await turn(el)).to.equal('You said Hi.');
      const status = part(el, 'status');
      expect(getComputedStyle(status).fontSize).to.equal('14px');
      expect(getComputedStyle(part(el, 'input')).fontSize).to.equal('14px');
      expect(getComputedStyle(el.shadowRoot!.querySelector('li.assistant')!).fontSize).to.equal('14px');
      const panel = part(el, 'panel').getBoundingClientRect();
      expect(panel.height, 'panel height').to.be.below(220);
      expect(panel.width, 'panel width').to.be.at.most(340);
      expect(panel.right).to.be.at.most(innerWidth);
    });
  }

  it('inline under * { font-size: 40px !important } keeps the designed height', async () => {
    const plain = await mount({ variant: 'inline', tts: 'none', preload: 'none' });
    await turn(plain);
    const designed = part(plain, 'panel').getBoundingClientRect().height;
    plain.remove();
    hostile(HOSTILE['huge-font']);
    const el = await mount({ variant: 'inline', tts: 'none', preload: 'none' });
    await turn(el);
    expect(part(el, 'panel').getBoundingClientRect().height).to.equal(designed);
  });

  it('several instances on one page each complete their own turn', async () => {
    hostile(HOSTILE['all-unset']);
    const els = await Promise.all([
      mount({ variant: 'inline', tts: 'none', preload: 'none' }),
      mount({ variant: 'inline', tts: 'none', preload: 'none' }),
      mount({ tts: 'none', preload: 'none' }),
    ]);
    const answers = await Promise.all(els.map((el, i) => turn(el, `number ${i}`)));
    expect(answers).to.deep.equal(['You said number 0.', 'You said number 1.', 'You said number 2.']);
    for (const el of els) expect(el.shadowRoot!.querySelectorAll('[part="transcript"] li')).to.have.length(2);
  });

  it('renders and completes a turn inside an iframe', async () => {
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width: 400px; height: 500px';
    const src = new URL('../../src/voice-assistant.ts', import.meta.url).href;
    frame.srcdoc = `<!doctype html><style>${HOSTILE['huge-font']}</style><body><script type="module" src="${src}"></script></body>`;
    document.body.append(frame);
    await new Promise((r) => frame.addEventListener('load', r, { once: true }));
    const win = frame.contentWindow as Window & typeof globalThis;
    await until(() => !!win.customElements.get('voice-assistant'), 20000, 'the element in the frame');
    const el = win.document.createElement('voice-assistant') as VoiceAssistant;
    el.setAttribute('tts', 'none');
    win.document.body.append(el);
    await el.updateComplete;
    const b = part(el, 'launcher').getBoundingClientRect();
    expect(Math.round(400 - b.right)).to.equal(16);
    expect(await turn(el)).to.equal('You said Hi.');
    expect(win.getComputedStyle(part(el, 'status')).fontSize).to.equal('14px');
  });
});
