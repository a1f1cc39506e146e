import { css } from '@lit/reactive-element';

/**
 * Styles of the panel, and of the launcher in each state, adopted into the shadow root when the
 * lazy chunk arrives (every state but idle and loading begins after it has). Sizes are set on
 * the panel itself, so a host page's `* { font-size: 40px !important }` (which reaches the host
 * element and is inherited from there) does not change them.
 */
export const panelStyles = css`
  .panel {
    box-sizing: border-box;
    width: min(340px, calc(100vw - 32px));
    padding: 8px 12px 12px;
    border: 1px solid #8884;
    border-radius: var(--voice-radius, 12px);
    background: var(--_surface);
    color: var(--_text);
    font: 14px/1.4 var(--voice-font, system-ui, sans-serif);
    text-align: start;
    box-shadow: 0 8px 30px #0003;
    transition: opacity 0.2s, transform 0.2s;
    @starting-style {
      opacity: 0;
      transform: translateY(8px);
    }
  }
  /* Inline, beside the launcher: the panel gives way on a narrow page instead of overflowing. */
  :host([variant='inline']) .panel {
    flex: 0 1 auto;
    min-width: 0;
  }
  .panel * {
    font: inherit;
    color: inherit;
  }
  .head {
    display: flex;
    align-items: center;
    gap: 4px;
  }
  .status {
    flex: 1;
    margin: 0;
    font-weight: 600;
  }
  button {
    font: inherit;
    cursor: pointer;
  }
  .icon {
    all: unset;
    box-sizing: border-box;
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 44px;
    height: 44px;
    border-radius: 50%;
    cursor: pointer;
  }
  .icon:hover {
    background: #8882;
  }
  .icon svg {
    width: 20px;
    fill: currentColor;
  }
  .text {
    min-height: 44px;
    padding: 0 14px;
    margin-right: 8px;
    border: 1px solid currentColor;
    border-radius: 8px;
    background: transparent;
  }
  :focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
  }
  .meter {
    height: 4px;
    margin: 4px 0;
    border-radius: 2px;
    background: #8883;
    overflow: hidden;
  }
  .meter span {
    display: block;
    height: 100%;
    background: var(--_accent);
    /* Set from script (CSSOM, allowed by a strict style-src), never as an inline style attribute. */
    transform: scaleX(var(--level, 0));
    transform-origin: left;
  }
  :host(:dir(rtl)) .meter span {
    transform-origin: right;
  }
  progress {
    width: 100%;
  }
  .transcript {
    list-style: none;
    margin: 8px 0 0;
    padding: 0;
    max-height: 240px;
    overflow-y: auto;
  }
  .transcript li {
    margin: 4px 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .user {
    text-align: end;
  }
  /* A caption still being recognised (partial transcript): it may change. */
  .partial {
    opacity: 0.7;
  }
  .note {
    font-style: italic;
    opacity: 0.8;
  }
  .compose {
    display: flex;
    gap: 4px;
    margin-top: 8px;
  }
  /* The send arrow points the way the text runs. */
  [dir='rtl'] .compose svg {
    transform: scaleX(-1);
  }
  .compose input {
    flex: 1;
    min-width: 0;
    box-sizing: border-box;
    height: 44px;
    padding: 0 12px;
    border: 1px solid #8888;
    border-radius: 22px;
    background: transparent;
  }
  .compose input::placeholder {
    color: inherit;
    opacity: 0.75;
  }
  /* The launcher follows the state: a faint ring and a slow pulse while loading, a ring that
     breathes with the input level while listening, larger while the user speaks, a quicker
     pulse while transcribing and thinking, a fast one while speaking, red in error. */
  .launcher {
    transition: transform 0.15s, box-shadow 0.1s, background-color 0.2s;
  }
  :host(:state(loading)) .launcher {
    box-shadow: 0 0 0 4px color-mix(in srgb, var(--_accent) 20%, transparent);
  }
  :host(:state(listening)) .launcher,
  :host(:state(user-speaking)) .launcher {
    animation: none;
    box-shadow: 0 0 0 calc(4px + var(--level, 0) * 14px) color-mix(in srgb, var(--_accent) 35%, transparent);
  }
  :host(:state(user-speaking)) .launcher {
    transform: scale(1.06);
  }
  :host(:state(transcribing)) .launcher,
  :host(:state(thinking)) .launcher {
    animation: pulse 0.9s infinite;
  }
  :host(:state(speaking)) .launcher {
    animation: pulse 0.45s infinite;
  }
  :host(:state(error)) .launcher {
    background: #b91c1c;
  }
  @media (prefers-reduced-motion: reduce) {
    .panel,
    .launcher {
      transition: none !important;
      animation: none !important;
    }
  }
  @media (forced-colors: active) {
    .panel {
      border: 2px solid CanvasText;
    }
    .meter {
      border: 1px solid CanvasText;
    }
    .meter span {
      background: Highlight;
      forced-color-adjust: none;
    }
    .icon,
    .compose input {
      border: 1px solid ButtonText;
    }
    :host(:state(error)) .launcher {
      border-style: dashed;
    }
  }
`;
