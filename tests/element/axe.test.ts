import { expect } from '@esm-bundle/chai';
import { emulateMedia } from '@web/test-runner-commands';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import type { Happening } from '../../src/session/state-machine.js';
import { until } from '../conversation/playback-probe.js';
import { mount } from '../helpers/element.js';

// axe-core (a devDependency, loaded as the script it ships) audits the widget in every state,
// light and dark, forced colours, Arabic right to left, muted, with the text field, the consent
// prompt, the download progress and a conversation on screen: zero violations.

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary: string }[] }[];
}
declare global {
  interface Window {
    axe?: { run(context: unknown, options?: unknown): Promise<AxeResult> };
  }
}

async function loadAxe() {
  if (window.axe) return;
  const s = document.createElement('script');
  s.src = '/node_modules/axe-core/axe.min.js';
  await new Promise((ok, fail) => ((s.onload = ok), (s.onerror = fail), document.head.append(s)));
}

const PATH: Record<string, Happening[]> = {
  idle: [],
  loading: ['activate'],
  listening: ['activate', 'listen'],
  'user-speaking': ['activate', 'listen', 'speech'],
  transcribing: ['activate', 'listen', 'speech', 'utterance'],
  thinking: ['activate', 'listen', 'speech', 'utterance', 'transcript'],
  speaking: ['activate', 'listen', 'speech', 'utterance', 'transcript', 'audio'],
  error: ['activate', 'fail'],
  disabled: ['fatal'],
};

async function widget(state: string, attrs: Record<string, string> = {}, extra?: (el: VoiceAssistant) => void) {
  const el = await mount({ preload: 'none', ...attrs });
  el.preloader.run();
  await until(() => !!el.shadowRoot!.querySelector('[part="panel"]'), 10000, 'the panel');
  for (const h of PATH[state]!) el.machine.send(h);
  el.open = true;
  el.showTranscript({ who: 'user', text: 'When are you open?', final: true });
  el.showTranscript({ who: 'assistant', text: 'From nine to six.', final: true });
  if (state === 'error') el.message = 'Microphone access was denied.';
  if (state === 'loading') el.showProgress({ label: 'the speech detector', loaded: 300, total: 1000 } as never);
  extra?.(el);
  await el.updateComplete;
  await new Promise((r) => setTimeout(r, 350)); // transitions done: axe measures final colours
  return el;
}

async function audit(el: HTMLElement): Promise<string[]> {
  await loadAxe();
  const r = await window.axe!.run(el, { resultTypes: ['violations'] });
  return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary}`).join(' | ')}`);
}

describe('<voice-assistant> axe-core audit', () => {
  afterEach(async () => {
    document.querySelectorAll('voice-assistant').forEach((e) => e.remove());
    await emulateMedia({ colorScheme: 'light', forcedColors: 'none' });
  });

  for (const scheme of ['light', 'dark'] as const) {
    for (const state of Object.keys(PATH)) {
      it(`${state}, ${scheme}: zero violations`, async () => {
        await emulateMedia({ colorScheme: scheme });
        const el = await widget(state);
        expect(await audit(el)).to.deep.equal([]);
      });
    }
  }

  it('forced colours, listening: zero violations', async () => {
    await emulateMedia({ forcedColors: 'active' });
    expect(await audit(await widget('listening'))).to.deep.equal([]);
  });

  for (const lang of ['ar', 'ja', 'de', 'es']) {
    it(`${lang} (speaking, muted): zero violations`, async () => {
      const el = await widget('speaking', { language: lang }, (e) => (e.muted = true));
      await until(() => el.shadowRoot!.querySelector('[part="panel"]')!.getAttribute('lang') === lang, 10000, 'the catalog');
      expect(await audit(el)).to.deep.equal([]);
    });
  }

  it('inline, consent prompt and forget button: zero violations', async () => {
    const el = await widget('idle', { variant: 'inline', consent: 'Recordings are processed on our server.', persist: 'history' }, (e) => (e.asking = true));
    expect(el.shadowRoot!.querySelector('.consent')).to.not.equal(null);
    expect(el.shadowRoot!.querySelector('.forget')).to.not.equal(null);
    expect(await audit(el)).to.deep.equal([]);
  });

  it('without the text field: zero violations', async () => {
    const el = await widget('listening', { 'text-input': 'false' });
    expect(el.shadowRoot!.querySelector('[part="input"]')).to.equal(null);
    expect(await audit(el)).to.deep.equal([]);
  });
});
