// Styles of the control bar and every button (ui/controls.ts; the Join and unmute buttons too).
import { css } from 'lit';

export const controlStyles = css`
  .bar {
    --_cs: var(--_control-size);
    display: grid;
    grid-template-columns: minmax(0, 1fr) auto;
    align-items: center;
    gap: 12px;
  }
  @container call (width >= 960px) {
    .bar {
      grid-template-columns: minmax(0, 1fr) auto minmax(0, 1fr);
    }
  }
  .summary {
    min-width: 0;
    color: var(--_muted);
    font-size: 0.88em;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .summary strong {
    color: var(--_foreground);
    font-weight: 600;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    align-items: center;
    gap: 8px;
  }
  /* narrow: the summary (joining…, room, count) on its own line above the buttons,
     the Leave button as an icon; below 400 px smaller buttons so six fit on one row of 272 px */
  @container call (width < 560px) {
    .bar {
      grid-template-columns: minmax(0, 1fr);
      gap: 6px;
    }
    .summary {
      text-align: center;
    }
    .buttons {
      gap: 6px;
    }
    .leave-text {
      display: none;
    }
  }
  @container call (width < 400px) {
    .bar {
      --_cs: calc(var(--_control-size) - 6px);
    }
    .buttons {
      gap: 4px;
    }
    .buttons .leave {
      padding: 0 12px;
    }
  }

  button {
    font: inherit;
    font-weight: 600;
    border: 0;
    cursor: pointer;
    color: inherit;
    background: none;
    transition: background-color 120ms ease, filter 120ms ease;
  }
  :focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 70%, light-dark(#000, #fff));
    outline-offset: 2px;
  }
  .join,
  .unmute {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 8px;
    border-radius: 999px;
    padding: 11px 22px;
    color: var(--_accent-foreground);
    background: var(--_accent);
  }
  .unmute {
    align-self: center;
    max-width: 100%;
  }
  .join:hover,
  .unmute:hover,
  .ctl:hover {
    filter: brightness(1.1);
  }
  .ctl {
    position: relative;
    display: inline-grid;
    place-items: center;
    min-width: var(--_cs, var(--_control-size));
    height: var(--_cs, var(--_control-size));
    border-radius: 999px;
    background: var(--_control);
    color: var(--_foreground);
  }
  .ctl[aria-pressed='true']:not(:is([part~='mic-button'], [part~='camera-button'])) {
    background: var(--_accent);
    color: var(--_accent-foreground);
  }
  .ctl[aria-pressed='false']:is([part~='mic-button'], [part~='camera-button']) {
    background: var(--_danger);
    color: #fff;
  }
  .ctl[aria-disabled='true'] {
    cursor: not-allowed;
    opacity: 0.5;
  }
  .leave {
    display: inline-flex;
    gap: 8px;
    padding: 0 18px;
    background: var(--_danger);
    color: #fff;
  }
  .badge {
    position: absolute;
    top: -3px;
    inset-inline-end: -3px;
    min-width: 18px;
    padding: 0 5px;
    border-radius: 999px;
    background: var(--_danger);
    color: #fff;
    font-size: 11px;
    line-height: 18px;
  }
  .icon-btn {
    display: inline-grid;
    place-items: center;
    width: 38px;
    height: 38px;
    border-radius: 999px;
  }
  .icon-btn:hover {
    background: var(--_control);
  }
  .send {
    background: var(--_accent);
    color: var(--_accent-foreground);
  }
  .send:hover {
    background: var(--_accent);
    filter: brightness(1.1);
  }
  /* what people wrote (names, messages) takes its own direction, whatever the element's language:
     "Hello!" stays "Hello!" in an Arabic element, an Arabic name reads right to left in English */
  .name,
  .author,
  .text {
    unicode-bidi: plaintext;
  }
  /* right to left (Arabic, Hebrew): the paper plane flies the way the text reads */
  .frame[dir='rtl'] .send svg {
    transform: scaleX(-1);
  }
`;
