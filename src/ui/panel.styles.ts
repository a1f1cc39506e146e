import { css } from '@lit/reactive-element';

/** Styles of the panel, adopted into the shadow root when the lazy chunk arrives. */
export const panelStyles = css`
  .panel {
    box-sizing: border-box;
    width: min(320px, calc(100vw - 32px));
    padding: 12px;
    border-radius: var(--voice-radius, 12px);
    background: var(--_surface);
    box-shadow: 0 8px 30px #0003;
  }
  .status {
    margin: 0 0 8px;
    font-weight: 600;
  }
  .meter {
    height: 4px;
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
    text-align: right;
  }
  .note {
    font-style: italic;
    opacity: 0.75;
  }
  .forget,
  .consent button {
    margin-right: 8px;
  }
`;
