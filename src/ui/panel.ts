import { html, nothing, render } from 'lit/html.js';
import type { VoiceConfig } from '../config/config.js';
import type { Progress } from '../internal/loader.js';

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
  readonly asking: boolean;
  readonly variant: string;
  readonly config: VoiceConfig;
  accept(ok: boolean): void;
  /** Forgets the conversation (and, with `persist="history"`, what was kept of it). */
  reset(): void;
}

const LABELS: Record<string, string> = {
  idle: 'Press the button and speak',
  loading: 'Loading…',
  listening: 'Listening…',
  'user-speaking': 'Hearing you…',
  transcribing: 'Transcribing…',
  thinking: 'Thinking…',
  speaking: 'Speaking…',
  error: 'Something went wrong',
  disabled: 'Voice is not available here',
};

/**
 * The panel: status line, consent prompt, download progress, input meter and transcript.
 * It lives in the lazy chunk, so the entry holds only the launcher. Transcript text is
 * rendered as text, never as markup.
 */
export function renderPanel(h: PanelHost, container: HTMLElement) {
  const open = h.active || h.asking || h.variant === 'inline' || h.state === 'error' || h.lines.length > 0;
  const p = h.progress;
  render(
    html`
    <section part="panel" class="panel" ?hidden=${!open} aria-label="Voice assistant">
      <p part="status" class="status" role="status">${h.message || LABELS[h.state]}</p>
      ${h.asking
        ? html`<div class="consent">
            <p>${h.config.consent}</p>
            <button @click=${() => h.accept(true)}>Accept</button>
            <button @click=${() => h.accept(false)}>Decline</button>
          </div>`
        : nothing}
      ${p
        ? html`<progress aria-label=${`Downloading ${p.label}`} max=${p.total || 1} .value=${p.total ? p.loaded : 0}></progress>`
        : nothing}
      <div part="meter" class="meter" role="meter" aria-label="Input level" aria-valuemin="0" aria-valuemax="1" aria-valuenow=${h.level.toFixed(2)}>
        <span></span>
      </div>
      <ol part="transcript" class="transcript" aria-live="polite">
        ${h.lines.map((l) => html`<li class=${l.who}>${l.text}</li>`)}
      </ol>
      ${h.config.persist === 'history' && h.lines.length
        ? html`<button class="forget" @click=${() => h.reset()}>Forget this conversation</button>`
        : nothing}
    </section>
  `,
    container,
  );
  // The meter's length, through CSSOM (a strict style-src allows it; an inline style attribute
  // would be a violation): the bar reads it as var(--level).
  container.style.setProperty('--level', String(Math.min(1, h.level)));
}
