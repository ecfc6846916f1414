import { css } from 'lit';
import { callStyles } from './ui/call.styles.js';
import { callExtraStyles } from './ui/call-extras.styles.js';
import { controlStyles } from './ui/controls.styles.js';
import { lobbyStyles } from './ui/lobby.styles.js';
import { panelStyles } from './ui/panels.styles.js';
import { prejoinStyles } from './ui/prejoin.styles.js';
import { socialStyles } from './ui/social.styles.js';
import { tileStyles } from './ui/tile.styles.js';

// Public tokens (--metered-call-*) are read once, here, into private --_* variables
// that hold the defaults; the rest of the sheet uses only the private ones. Colours
// come in pairs, light-dark(light, dark): the element follows the visitor's
// prefers-color-scheme unless the page sets `theme="light"` or `theme="dark"`
// (applied on the inner frame, so the property works without reflecting an attribute).
// No inline style attributes anywhere (strict CSP): state goes through attributes.
//
// The element's tokens and base, then each part's styles (beside its render function in
// src/ui/), in one sheet and in this order (later rules win ties).
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

  ${lobbyStyles}
  ${prejoinStyles}
  ${callStyles}
  ${tileStyles}
  ${panelStyles}
  ${controlStyles}
  ${socialStyles}
  ${callExtraStyles}

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
