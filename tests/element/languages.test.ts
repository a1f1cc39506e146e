import { expect } from '@esm-bundle/chai';
import '../../src/voice-assistant.js';
import type { VoiceAssistant } from '../../src/voice-assistant.js';
import { until } from '../conversation/playback-probe.js';
import { mount } from '../helpers/element.js';
import { VoiceAssistantError } from '../../src/errors.js';

// Message catalogs (issue 15): the `language` attribute or the page's `lang` chooses them; Arabic
// is laid out right to left; the catalogs load on demand; a note says when the offline engines
// cannot understand the language.

const part = (el: HTMLElement, name: string) => el.shadowRoot!.querySelector(`[part="${name}"]`) as HTMLElement;
const launcherName = (el: HTMLElement) => part(el, 'launcher').getAttribute('aria-label');

/** Mounts, loads the panel (as a hover would) and waits for the catalog to be in. */
async function panel(attrs: Record<string, string>, parent?: HTMLElement, expected?: string): Promise<VoiceAssistant> {
  const el = await mount({ variant: 'inline', preload: 'none', ...attrs }, parent);
  el.preloader.run();
  await until(() => !!part(el, 'status') && (!expected || part(el, 'status').textContent === expected), 10000, `status ${expected}`);
  return el;
}

describe('<voice-assistant> languages', () => {
  afterEach(() => document.querySelectorAll('voice-assistant, [lang="ja"]').forEach((e) => e.remove()));

  it('language="de": the launcher is named in German at once, the panel once its catalog is in', async () => {
    const el = await mount({ variant: 'inline', preload: 'none', language: 'de-DE' });
    expect(launcherName(el)).to.equal('Sprachassistent');
    el.preloader.run();
    await until(() => part(el, 'status')?.textContent === 'Drücken Sie die Taste und sprechen Sie, oder schreiben Sie unten', 10000, 'German status');
    expect(part(el, 'input').getAttribute('placeholder')).to.equal('Nachricht schreiben…');
    expect(part(el, 'close')).to.equal(null); // inline: nothing to close
    expect(part(el, 'mute').getAttribute('aria-label')).to.equal('Gesprochene Antworten stummschalten');
    expect(part(el, 'panel').getAttribute('lang')).to.equal('de');
    expect(part(el, 'panel').getAttribute('dir')).to.equal('ltr');
    expect(el.config.language).to.equal('de-DE');
  });

  it('without the attribute, the page lang chooses (and reaches the engines\' config)', async () => {
    const page = document.createElement('div');
    page.lang = 'ja';
    document.body.append(page);
    const el = await panel({}, page, 'ボタンを押して話すか、下に入力してください');
    expect(launcherName(el)).to.equal('音声アシスタント');
    expect(el.config.language).to.equal('ja');
    expect(el.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal('');
  });

  it('Arabic is laid out right to left, with Arabic names', async () => {
    const el = await panel({ language: 'ar' }, undefined, 'اضغط الزر وتحدث، أو اكتب أدناه');
    const section = part(el, 'panel');
    expect(section.getAttribute('dir')).to.equal('rtl');
    expect(getComputedStyle(section).direction).to.equal('rtl');
    expect(getComputedStyle(part(el, 'input')).direction).to.equal('rtl');
    expect(launcherName(el)).to.equal('المساعد الصوتي');
    // Start of the line is the right: the status text begins at the right edge of the head.
    const status = part(el, 'status').getBoundingClientRect();
    const mute = part(el, 'mute').getBoundingClientRect();
    expect(mute.right).to.be.below(status.left + 1);
  });

  it('on a right-to-left page the floating launcher sits in the bottom left corner', async () => {
    const page = document.createElement('div');
    page.dir = 'rtl';
    page.lang = 'ar';
    document.body.append(page);
    const el = await mount({ preload: 'none' }, page);
    const b = part(el, 'launcher').getBoundingClientRect();
    expect(Math.round(b.left)).to.equal(16);
    expect(Math.round(innerHeight - b.bottom)).to.equal(16);
    page.remove();
  });

  it('Spanish with the offline engines says that they understand English only; English does not', async () => {
    const es = await panel({ language: 'es', stt: 'local', tts: 'local' }, undefined, 'Pulse el botón y hable, o escriba abajo');
    expect(es.shadowRoot!.querySelector('.note')!.textContent).to.equal('El reconocimiento de voz y la voz sin conexión solo entienden inglés.');
    const en = await panel({ language: 'en-GB', stt: 'local', tts: 'local' });
    expect(en.shadowRoot!.querySelector('.note')).to.equal(null);
    const remote = await panel({ language: 'es', stt: 'remote', tts: 'remote', endpoint: 'https://api.example.com/v1' }, undefined, 'Pulse el botón y hable, o escriba abajo');
    expect(remote.shadowRoot!.querySelector('.note')).to.equal(null);
  });

  it('errors say how to recover in the visitor\'s language; an error without words keeps its own message', async () => {
    const de = await panel({ language: 'de' }, undefined, 'Drücken Sie die Taste und sprechen Sie, oder schreiben Sie unten');
    de.machine.send('activate');
    de.report(new VoiceAssistantError('mic-denied', 'Microphone access is blocked.', true));
    await de.updateComplete;
    expect(de.state).to.equal('error');
    expect(part(de, 'status').textContent).to.match(/^Das Mikrofon ist blockiert\. .*Adressleiste/);
    expect(de.shadowRoot!.querySelector('[role="status"]')!.textContent).to.equal(part(de, 'status').textContent);
    const en = await panel({ language: 'en' });
    en.machine.send('activate');
    en.report(new VoiceAssistantError('blocked-by-csp', 'The page\'s Content-Security-Policy blocked the speech detector (worker-src).', false));
    await en.updateComplete;
    expect(part(en, 'status').textContent).to.equal('The page\'s Content-Security-Policy blocked the speech detector (worker-src).');
  });

  it('a language without a catalog falls back to English', async () => {
    const el = await panel({ language: 'fr-FR' }, undefined, 'Press the button and speak, or type below');
    expect(launcherName(el)).to.equal('Voice assistant');
    expect(part(el, 'panel').getAttribute('lang')).to.equal('en');
  });
});
