import { css } from '@lit/reactive-element';

export const styles = css`
  :host {
    --_accent: var(--voice-accent, #2563eb);
    --_surface: var(--voice-surface, #fff);
    --_text: var(--voice-text, #111827);
    font: 14px/1.4 var(--voice-font, system-ui, sans-serif) !important;
    color: var(--_text);
    display: inline-block;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_surface: var(--voice-surface, #1f2937);
      --_text: var(--voice-text, #f9fafb);
    }
  }
  /* Floating: out of the page flow, so inserting it shifts nothing. */
  /* !important here wins over a host page's !important (for important rules the shadow tree's
     context comes first): * { all: unset !important } on the page leaves it fixed in its corner. */
  :host(:not([variant='inline'])) {
    position: fixed !important;
    inset: auto 16px 16px auto !important;
    z-index: var(--voice-z-index, 2147483000) !important;
    display: flex !important;
    flex-direction: column-reverse;
    align-items: flex-end;
    gap: 8px;
  }
  /* On a right-to-left page the corner is the bottom left. */
  :host(:dir(rtl):not([variant='inline'])) {
    inset: auto auto 16px 16px !important;
    align-items: flex-start !important;
  }
  :host([variant='inline']) {
    display: flex;
    gap: 12px;
    align-items: flex-start;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: 0;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  [hidden] {
    display: none !important;
  }
  .launcher {
    all: unset;
    box-sizing: border-box;
    width: 56px;
    height: 56px;
    flex: none;
    border-radius: 50%;
    display: grid;
    place-items: center;
    cursor: pointer;
    background: var(--_accent);
    color: #fff;
    /* Invisible, except in forced colours, where it becomes the button's edge. */
    border: 2px solid transparent;
    box-shadow: 0 4px 14px #0004;
    transition: transform 0.15s;
  }
  .launcher:focus-visible {
    outline: 3px solid var(--_accent);
    outline-offset: 3px;
  }
  .launcher[aria-pressed='true'] {
    animation: pulse 1.6s infinite;
  }
  .launcher[disabled] {
    opacity: 0.5;
    cursor: not-allowed;
  }
  svg {
    width: 26px;
    fill: currentColor;
  }
  @keyframes pulse {
    50% {
      transform: scale(1.08);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .launcher {
      animation: none !important;
      transition: none;
    }
  }
`;
