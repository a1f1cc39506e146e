import type { VoiceState } from '../events/voice-state-event.js';

/** What the launcher button shows and does. */
export interface LauncherHost {
  readonly config: { readonly language: string };
  readonly state: VoiceState;
  readonly active: boolean;
  readonly message: string;
  toggle(): void;
  press(down: boolean): void;
}

/**
 * The launcher's name per language, the only strings in the entry (the panel's load with it).
 * One name: it is a toggle button, and `aria-pressed` says whether it is on (a name that changed
 * with the state would be read as "Stop …, pressed").
 */
const NAMES: Record<string, string> = {
  en: 'Voice assistant',
  es: 'Asistente de voz',
  de: 'Sprachassistent',
  ar: 'المساعد الصوتي',
  ja: '音声アシスタント',
};

const SVG = 'http://www.w3.org/2000/svg';
const MIC = 'M12 15a3 3 0 0 0 3-3V6a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-2.1a7 7 0 0 0 6-6.9Z';

/** Built with DOM calls, not markup: no HTML parsing sink, so Trusted Types have nothing to check. */
function launcher(): DocumentFragment {
  const button = document.createElement('button');
  button.setAttribute('part', 'launcher');
  button.className = 'launcher';
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', MIC);
  svg.append(path);
  button.append(svg);
  // The live region exists, empty, from the first render: a screen reader announces what is
  // written into it later (state changes, captions), which it may not for a region that
  // arrives already holding its text. The lazy panel fills it.
  const live = document.createElement('p');
  live.className = 'sr';
  live.setAttribute('role', 'status');
  const panel = document.createElement('div');
  panel.className = 'panel-root';
  const out = document.createDocumentFragment();
  out.append(button, live, panel);
  return out;
}

/**
 * Renders the launcher by hand (no lit-html in the entry: it comes with the lazy chunk, which
 * keeps the bytes a page loads before activation small) and returns the panel's container.
 */
export function renderLauncher(host: LauncherHost, root: HTMLElement | DocumentFragment): HTMLElement {
  let b = root.querySelector('button');
  if (!b) {
    root.append(launcher());
    b = root.querySelector('button')!;
    b.addEventListener('click', () => host.toggle());
    // Space is ours (a tap toggles, a hold is push-to-talk), not the button's click on release.
    for (const type of ['keydown', 'keyup'] as const) {
      b.addEventListener(type, (e) => {
        if (e.key !== ' ') return;
        e.preventDefault();
        if (!e.repeat) host.press(type === 'keydown');
      });
    }
  }
  b.setAttribute('aria-pressed', String(host.active));
  const lang = host.config.language.split('-')[0]!.toLowerCase();
  b.setAttribute('aria-label', NAMES[lang] ?? NAMES.en!);
  b.lang = NAMES[lang] ? lang : 'en';
  b.setAttribute('aria-busy', String(host.state === 'loading'));
  b.title = host.message;
  b.disabled = host.state === 'disabled';
  return root.lastElementChild as HTMLElement;
}
