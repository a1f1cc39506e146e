import { html, nothing, render } from 'lit/html.js';
import type { VoiceConfig } from '../config/config.js';
import type { Progress } from '../internal/loader.js';
import { catalogLanguage, isRtl, messagesFor, type Messages } from './messages/index.js';

/** One line of the panel's transcript list. */
export interface TranscriptEntry {
  id: number;
  who: 'user' | 'assistant' | 'note';
  text: string;
  final: boolean;
}

/** What the panel renders from (the element). */
export interface PanelHost {
  readonly state: string;
  readonly active: boolean;
  readonly level: number;
  readonly progress: Progress | null;
  readonly lines: readonly TranscriptEntry[];
  readonly message: string;
  readonly errorCode: string;
  readonly asking: boolean;
  readonly open: boolean;
  readonly muted: boolean;
  readonly variant: string;
  readonly config: VoiceConfig;
  accept(ok: boolean): void;
  /** Forgets the conversation (and, with `persist="history"`, what was kept of it). */
  reset(): void;
  /** Sends typed text as the user's turn. */
  send(text: string): void;
  /** Stops and closes the panel. */
  close(): void;
  toggleMute(): void;
  requestUpdate(): void;
}

const SPEAKER = 'M3 9v6h4l5 5V4L7 9H3Zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4Z';
const MUTED = 'M3 9v6h4l5 5V4L7 9H3Zm13.6 3 2.9-2.9-1.4-1.4-2.9 2.9-2.9-2.9-1.4 1.4 2.9 2.9-2.9 2.9 1.4 1.4 2.9-2.9 2.9 2.9 1.4-1.4-2.9-2.9Z';
const CLOSE = 'M18.3 5.7 12 12l6.3 6.3-1.4 1.4-6.3-6.3-6.3 6.3-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3 1.4 1.4Z';
const SEND = 'M3 20.5 21 12 3 3.5V10l12 2-12 2v6.5Z';
const icon = (d: string) => html`<svg viewBox="0 0 24 24" aria-hidden="true"><path d=${d}></path></svg>`;

/**
 * The states a screen reader is told about. Not idle (back at rest after a turn is not news),
 * nor the user's own speech, nor speaking (the answer is heard, and its caption is told): each
 * would also cut off the answer just written.
 */
const TOLD = new Set(['loading', 'listening', 'thinking', 'error', 'disabled']);

/** What the live region last said, per element: it is written only when that changes. */
const announced = new WeakMap<HTMLElement, { status: string; line: string }>();

/**
 * Writes state changes and the final lines of both sides into the live region the entry made
 * (empty, before anything was to be said), each once.
 */
function announce(container: HTMLElement, open: boolean, told: boolean, status: string, lines: readonly TranscriptEntry[], t: Messages, lang: string) {
  const live = container.previousElementSibling as HTMLElement | null;
  if (!live || !open) return;
  live.lang = lang;
  const last = announced.get(container) ?? { status: '', line: '' };
  const l = lines[lines.length - 1];
  const line = l?.final ? `${l.who === 'user' ? `${t.you}: ` : l.who === 'assistant' ? `${t.assistant}: ` : ''}${l.text}` : last.line;
  if (line !== last.line) live.textContent = line;
  else if (status !== last.status && told) live.textContent = status;
  announced.set(container, { status, line });
}

function submit(h: PanelHost, e: SubmitEvent) {
  e.preventDefault();
  const input = (e.target as HTMLFormElement).querySelector('input')!;
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  h.send(text);
}

/**
 * The panel: status line with mute and close controls, consent prompt, download progress, input
 * meter, transcript (the captions of both sides) and the text field. It lives in the lazy chunk,
 * so the entry holds only the launcher and the empty live region. Text is rendered as text,
 * never as markup.
 */
export function renderPanel(h: PanelHost, container: HTMLElement) {
  const { language, stt, tts } = h.config;
  const t = messagesFor(language, () => h.requestUpdate());
  const lang = catalogLanguage(language);
  // The offline engines (PocketSphinx en-US, Flite) know English only: said, not pretended.
  const englishOnly = !/^en\b/i.test(language) && (stt.includes('local') || tts.includes('local'));
  const open = h.open || h.active || h.asking || h.variant === 'inline' || h.state === 'error';
  const p = h.progress;
  // An error the catalog words for this audience (how to recover), else the engine's own message.
  const status = (h.message && t.errors[h.errorCode]) || h.message || t.states[h.state] || h.state;
  render(
    html`
    <section part="panel" class="panel" ?hidden=${!open} aria-label=${t.panel} lang=${lang} dir=${isRtl(lang) ? 'rtl' : 'ltr'}>
      <div class="head">
        <p part="status" class="status">${status}</p>
        <button part="mute" class="icon" aria-pressed=${String(h.muted)} aria-label=${t.mute} title=${t.mute} @click=${() => h.toggleMute()}>
          ${icon(h.muted ? MUTED : SPEAKER)}
        </button>
        ${h.variant === 'inline' ? nothing : html`<button part="close" class="icon" aria-label=${t.close} title=${t.close} @click=${() => h.close()}>${icon(CLOSE)}</button>`}
      </div>
      ${englishOnly ? html`<p class="note">${t.englishOnly}</p>` : nothing}
      ${h.asking
        ? html`<div class="consent">
            <p>${h.config.consent}</p>
            <button class="text" @click=${() => h.accept(true)}>${t.accept}</button>
            <button class="text" @click=${() => h.accept(false)}>${t.decline}</button>
          </div>`
        : nothing}
      ${p
        ? html`<progress aria-label=${`${t.downloading} ${p.label}`} max=${p.total || 1} .value=${p.total ? p.loaded : 0}></progress>`
        : nothing}
      <div part="meter" class="meter" role="meter" aria-label=${t.meter} aria-valuemin="0" aria-valuemax="1" aria-valuenow=${h.level.toFixed(2)}>
        <span></span>
      </div>
      <ol part="transcript" class="transcript" aria-label=${t.transcript}>
        ${h.lines.map((l) => html`<li class=${l.final ? l.who : `${l.who} partial`}>${l.text}</li>`)}
      </ol>
      ${h.config.persist === 'history' && h.lines.length
        ? html`<button class="forget text" @click=${() => h.reset()}>${t.forget}</button>`
        : nothing}
      ${h.config.textInput
        ? html`<form class="compose" @submit=${(e: SubmitEvent) => submit(h, e)}>
            <input part="input" type="text" name="text" aria-label=${t.input} placeholder=${t.placeholder} autocomplete="off" enterkeyhint="send" maxlength="2000" />
            <button part="send" class="icon" type="submit" aria-label=${t.send} title=${t.send}>${icon(SEND)}</button>
          </form>`
        : nothing}
    </section>
  `,
    container,
  );
  announce(container, open, !!h.message || TOLD.has(h.state), status, h.lines, t, lang);
  // The level, through CSSOM (a strict style-src allows it; an inline style attribute would be a
  // violation): the meter and the launcher's ring read it as var(--level).
  const level = String(Math.min(1, h.level));
  container.style.setProperty('--level', level);
  (container.parentNode as ParentNode | null)?.querySelector<HTMLElement>('.launcher')?.style.setProperty('--level', level);
}
