import { css } from 'lit';

// Public tokens (--metered-call-*) are read once, here, into private --_* variables
// that hold the defaults; the rest of the sheet uses only the private ones. Colours
// come in pairs, light-dark(light, dark): the element follows the visitor's
// prefers-color-scheme unless the page sets `theme="light"` or `theme="dark"`
// (applied on the inner frame, so the property works without reflecting an attribute).
// No inline style attributes anywhere (strict CSP): state goes through attributes.
export const styles = css`
  :host {
    --_background: var(--metered-call-background, light-dark(#f6f7f9, #0f1218));
    --_foreground: var(--metered-call-foreground, light-dark(#151922, #f2f4f8));
    --_muted: var(--metered-call-muted-foreground, light-dark(#5b6475, #a3abbd));
    --_surface: var(--metered-call-surface, light-dark(#ffffff, #1b202b));
    --_border: var(--metered-call-border, light-dark(#dde1e8, #2b3242));
    --_tile-background: var(--metered-call-tile-background, light-dark(#e6e9ef, #1c2230));
    --_tile-radius: var(--metered-call-tile-radius, 14px);
    --_tile-aspect-ratio: var(--metered-call-tile-aspect-ratio, 16 / 9);
    --_gap: var(--metered-call-gap, 10px);
    --_padding: var(--metered-call-padding, 12px);
    --_radius: var(--metered-call-radius, 18px);
    --_accent: var(--metered-call-accent, #2563eb);
    --_accent-foreground: var(--metered-call-accent-foreground, #ffffff);
    --_danger: var(--metered-call-danger, #dc2626);
    --_speaking: var(--metered-call-speaking, #22c55e);
    --_control-size: var(--metered-call-control-size, 44px);
    --_font-family: var(--metered-call-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_min-height: var(--metered-call-min-height, 360px);
    --_control: light-dark(#e9ecf2, #262d3b);
    --_overlay: rgb(10 12 18 / 0.66);

    display: block;
    box-sizing: border-box;
    container: call / inline-size;
    min-height: var(--_min-height);
    font-family: var(--_font-family);
    font-size: 15px;
    line-height: 1.4;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  /* The page's inherited text styles stop here: a hostile global stylesheet (huge fonts,
     letter-spacing, text-transform, box-sizing resets, "* { all: unset }") must not reach
     the call's layout. Explicit values on the first inner box, not !important on the host,
     so the host stays the page's to size and place; text size is --metered-call-font-size. */
  .frame {
    box-sizing: border-box;
    font-family: var(--_font-family);
    font-size: var(--metered-call-font-size, 15px);
    font-style: normal;
    font-weight: 400;
    font-variant: normal;
    line-height: 1.4;
    letter-spacing: normal;
    word-spacing: normal;
    text-transform: none;
    text-indent: 0;
    text-align: start;
    text-shadow: none;
    white-space: normal;
  }
  [hidden] {
    display: none !important;
  }
  svg {
    width: 22px;
    height: 22px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  h2 {
    margin: 0;
    font-size: 1.25em;
    font-weight: 650;
    letter-spacing: -0.01em;
  }

  /* the frame paints the element, in the theme's colour scheme */
  .frame {
    color-scheme: light dark;
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    height: 100%;
    min-height: var(--_min-height);
    padding: var(--_padding);
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_foreground);
  }
  .frame[data-theme='light'] {
    color-scheme: light;
  }
  .frame[data-theme='dark'] {
    color-scheme: dark;
  }

  /* ---- lobby: after leaving, on error, and with skip-prejoin or autojoin ---- */
  .lobby {
    flex: 1;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 14px;
    padding: 32px 20px;
    text-align: center;
    border-radius: var(--_tile-radius);
    background: radial-gradient(120% 120% at 50% 0%, color-mix(in srgb, var(--_accent) 16%, var(--_tile-background)) 0%, var(--_tile-background) 60%);
  }
  .lobby-icon {
    display: grid;
    place-items: center;
    width: 64px;
    height: 64px;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 20%, transparent);
    color: var(--_accent);
  }
  .lobby-icon svg {
    width: 30px;
    height: 30px;
  }
  .lobby p,
  .room-line {
    margin: 0;
    max-width: 46ch;
    color: var(--_muted);
    overflow-wrap: anywhere;
  }
  .lobby[data-state='error'] .lobby-icon {
    background: color-mix(in srgb, var(--_danger) 20%, transparent);
    color: var(--_danger);
  }

  /* ---- pre-join: preview beside the form (side by side when there is room) ---- */
  .prejoin {
    flex: 1;
    display: grid;
    align-content: center;
    justify-items: center;
    gap: 18px;
  }
  /* side by side from 640 px; on a wide element the pair stays together, centred
     (preview up to 760 px, form up to 380 px), instead of drifting to the edges */
  @container call (width >= 640px) {
    .prejoin {
      grid-template-columns: minmax(0, 1.6fr) minmax(250px, 1fr);
      align-items: center;
      gap: 28px;
      padding: 8px;
      width: 100%;
      max-width: 1184px;
      margin-inline: auto;
    }
    .prejoin .form {
      justify-self: start;
    }
  }
  .preview {
    position: relative;
    width: 100%;
    max-width: 760px;
  }
  .preview .tile {
    width: 100%;
    aspect-ratio: var(--_tile-aspect-ratio);
  }
  .preview .label {
    display: none;
  }
  .preview-controls {
    position: absolute;
    left: 0;
    right: 0;
    bottom: 12px;
    display: flex;
    justify-content: center;
    gap: 12px;
  }
  .preview-controls .ctl[aria-pressed='true'] {
    background: var(--_overlay);
    color: #fff;
  }
  .form {
    display: flex;
    flex-direction: column;
    gap: 12px;
    width: 100%;
    max-width: 380px;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 5px;
    font-size: 0.85em;
    font-weight: 550;
    color: var(--_muted);
  }
  input,
  select {
    font: inherit;
    font-size: 15px;
    font-weight: 400;
    min-width: 0;
    color: var(--_foreground);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 10px;
    padding: 9px 12px;
  }
  input:focus-visible,
  select:focus-visible {
    border-color: var(--_accent);
  }

  /* ---- the call: stage (+ side panel) above the control bar ---- */
  .main {
    position: relative;
    flex: 1;
    display: flex;
    gap: var(--_gap);
    min-height: 0;
  }
  .stage {
    --_n: 1;
    --_c: 1;
    --_strip: clamp(54px, 20cqh, 132px);
    container: stage / size;
    position: relative;
    flex: 1;
    min-width: 0;
    min-height: 150px;
    display: flex;
    flex-wrap: wrap;
    align-content: center;
    justify-content: center;
    gap: var(--_gap);
    overflow: hidden;
  }
  .stage[data-count='2'] { --_n: 2; }
  .stage[data-count='3'] { --_n: 3; }
  .stage[data-count='4'] { --_n: 4; }
  .stage[data-count='5'] { --_n: 5; }
  .stage[data-count='6'] { --_n: 6; }
  .stage[data-count='7'] { --_n: 7; }
  .stage[data-count='8'] { --_n: 8; }
  .stage[data-count='9'] { --_n: 9; }
  .stage[data-count='10'] { --_n: 10; }
  .stage[data-count='11'] { --_n: 11; }
  .stage[data-count='12'] { --_n: 12; }
  .stage[data-count='13'] { --_n: 13; }

  /* grid: columns chosen by tile count and by the stage's own shape (container queries),
     tiles as large as both its width and its height allow, aspect ratio kept */
  .stage[data-layout='grid'] > .tile {
    --_r: round(up, var(--_n) / var(--_c), 1);
    width: min(
      (100cqw - (var(--_c) - 1) * var(--_gap)) / var(--_c),
      (100cqh - (var(--_r) - 1) * var(--_gap)) / var(--_r) * var(--_tile-aspect-ratio)
    );
    aspect-ratio: var(--_tile-aspect-ratio);
  }
  .stage:is([data-count='2'], [data-count='3'], [data-count='4']) > .tile { --_c: 2; }
  .stage:is([data-count='5'], [data-count='6'], [data-count='7'], [data-count='8'], [data-count='9']) > .tile { --_c: 3; }
  .stage:is([data-count='10'], [data-count='11'], [data-count='12'], [data-count='13']) > .tile { --_c: 4; }
  @container stage (aspect-ratio >= 2.4) {
    .stage[data-count='3'] > .tile { --_c: 3; }
    .stage:is([data-count='7'], [data-count='8']) > .tile { --_c: 4; }
    .stage:is([data-count='9'], [data-count='10'], [data-count='13']) > .tile { --_c: 5; }
  }
  @container stage (aspect-ratio < 1.5) {
    .stage[data-count='2'] > .tile { --_c: 1; }
    .stage:is([data-count='5'], [data-count='6'], [data-count='7'], [data-count='8']) > .tile { --_c: 2; }
  }
  @container stage (aspect-ratio < 1) {
    .stage[data-count='3'] > .tile { --_c: 1; }
    .stage:is([data-count='9'], [data-count='10'], [data-count='11'], [data-count='12']) > .tile { --_c: 2; }
  }
  @container stage (aspect-ratio < 0.7) {
    .stage:is([data-count='4'], [data-count='5']) > .tile { --_c: 1; }
    .stage[data-count='13'] > .tile { --_c: 2; }
  }

  /* speaker: one tile large (a shared screen, else who speaks), the others in a filmstrip below */
  .stage[data-layout='speaker'] {
    align-content: flex-start;
  }
  /* filmstrip tiles: the strip's height, narrower when that many would not fit in one row */
  .stage[data-layout='speaker'] > .tile {
    width: min(var(--_strip) * var(--_tile-aspect-ratio), (100cqw - (var(--_n) - 1) * var(--_gap)) / var(--_n));
    aspect-ratio: var(--_tile-aspect-ratio);
  }
  .stage[data-layout='speaker'] > .tile[data-main] {
    order: -1;
    width: 100%;
    height: calc(100cqh - var(--_strip) - var(--_gap));
    aspect-ratio: auto;
  }
  .stage[data-layout='speaker'][data-count='0'] > .tile[data-main] {
    height: 100%;
  }

  .tile {
    position: relative;
    flex: none;
    margin: 0;
    overflow: hidden;
    border-radius: var(--_tile-radius);
    background: var(--_tile-background);
  }
  .tile::after {
    content: '';
    position: absolute;
    inset: 0;
    border-radius: inherit;
    pointer-events: none;
    transition: box-shadow 160ms ease;
  }
  .tile[data-speaking]::after {
    box-shadow: inset 0 0 0 3px var(--_speaking);
  }
  .tile video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
  }
  .tile:is([data-main], [data-screen]) video {
    object-fit: contain;
  }
  .tile.local:not([data-screen]) video {
    transform: scaleX(-1); /* a self-view reads like a mirror */
  }

  .avatar {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
  }
  .initials {
    display: grid;
    place-items: center;
    width: clamp(36px, 30%, 112px);
    max-height: 64%;
    aspect-ratio: 1;
    border-radius: 50%;
    font-size: clamp(14px, 5cqmin, 40px);
    font-weight: 650;
    letter-spacing: 0.02em;
    color: #fff;
    background: var(--_avatar, #5b6478);
    user-select: none;
  }
  .avatar[data-hue='0'] { --_avatar: #c2410c; }
  .avatar[data-hue='1'] { --_avatar: #a16207; }
  .avatar[data-hue='2'] { --_avatar: #15803d; }
  .avatar[data-hue='3'] { --_avatar: #0f766e; }
  .avatar[data-hue='4'] { --_avatar: #0369a1; }
  .avatar[data-hue='5'] { --_avatar: #4338ca; }
  .avatar[data-hue='6'] { --_avatar: #7e22ce; }
  .avatar[data-hue='7'] { --_avatar: #be185d; }

  .label {
    position: absolute;
    left: 8px;
    bottom: 8px;
    right: 8px;
    display: flex;
    align-items: center;
    gap: 4px;
    pointer-events: none;
  }
  .name,
  .mic-off,
  .tile .status {
    min-width: 0;
    padding: 2px 9px;
    border-radius: 999px;
    background: var(--_overlay);
    color: #fff;
    font-size: 0.8em;
    font-weight: 550;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .mic-off {
    display: grid;
    padding: 3px;
    color: #fca5a5;
  }
  .mic-off svg {
    width: 16px;
    height: 16px;
  }
  .tile .status {
    position: absolute;
    top: 8px;
    inset-inline-start: 8px;
    max-width: calc(100% - 16px);
    font-weight: 500;
  }
  .tile .status[data-connection='failed'] {
    background: var(--_danger);
  }
  /* the filmstrip keeps names (who is who), smaller */
  .stage[data-layout='speaker'] > .tile:not([data-main]) .label {
    left: 5px;
    bottom: 5px;
    right: 5px;
    font-size: 0.86em;
  }
  .stage[data-layout='speaker'] > .tile:not([data-main]) .name {
    padding: 1px 7px;
  }
  .stage[data-layout='speaker'] > .tile:not([data-main]) .avatar {
    bottom: 22px; /* the initials above the name, not behind it */
  }

  .empty {
    position: absolute;
    top: 10px;
    left: 50%;
    transform: translateX(-50%);
    max-width: calc(100% - 20px);
    padding: 6px 14px;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.88em;
    box-shadow: 0 4px 16px rgb(0 0 0 / 0.18);
    text-align: center;
  }

  /* ---- side panels: chat and devices ---- */
  .panel {
    display: flex;
    flex-direction: column;
    min-height: 0;
    border: 1px solid var(--_border);
    border-radius: var(--_tile-radius);
    background: var(--_surface);
    z-index: 2;
  }
  .panel-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 8px;
    padding: 8px 8px 8px 14px;
  }
  .panel h2 {
    font-size: 1em;
  }
  .chat {
    flex: none;
    width: 300px;
  }
  .devices {
    position: absolute;
    inset-inline-end: 0;
    bottom: 0;
    width: min(340px, 100%);
    gap: 12px;
    padding-bottom: 14px;
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.28);
  }
  .devices .field {
    padding: 0 14px;
  }
  @container call (width < 640px) {
    .chat {
      position: absolute;
      inset: 0;
      width: auto;
    }
  }
  .messages {
    flex: 1;
    margin: 0;
    padding: 4px 14px 12px;
    list-style: none;
    overflow-y: auto;
    display: flex;
    flex-direction: column;
    gap: 10px;
  }
  .message {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 2px;
  }
  .message[data-self] {
    align-items: flex-end;
  }
  .author {
    font-size: 0.78em;
    font-weight: 600;
    color: var(--_muted);
  }
  .text {
    max-width: 92%;
    padding: 7px 11px;
    border-radius: 14px;
    background: var(--_control);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .message[data-self] .text {
    background: var(--_accent);
    color: var(--_accent-foreground);
  }
  .empty-chat {
    margin: auto;
    color: var(--_muted);
    text-align: center;
    font-size: 0.9em;
  }
  .compose {
    display: flex;
    gap: 8px;
    padding: 10px;
    border-top: 1px solid var(--_border);
  }
  .compose input {
    flex: 1;
  }

  /* ---- the control bar: summary | buttons | (balance) ---- */
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

  .notice,
  .error {
    margin: 0;
    padding: 10px 14px;
    border-radius: 12px;
    font-size: 0.9em;
  }
  .notice {
    background: light-dark(#fff4db, #2a2417);
    color: light-dark(#8a5a00, #fcd88a);
  }
  .error {
    max-width: 56ch;
    text-align: start;
    background: light-dark(#fde8e9, #3a1a1d);
    color: light-dark(#9f1d24, #ffc9cb);
  }
  .error strong {
    display: block;
    margin-bottom: 4px;
  }
  .error code {
    font-size: 0.85em;
  }

  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::after {
      transition: none !important;
    }
  }
`;
