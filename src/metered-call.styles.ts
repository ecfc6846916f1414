import { css } from 'lit';

// Public tokens (--metered-call-*) are read once, here, into private --_* variables
// that hold the defaults; the rest of the sheet uses only the private ones.
export const styles = css`
  :host {
    --_background: var(--metered-call-background, #10131a);
    --_foreground: var(--metered-call-foreground, #f4f6fb);
    --_muted: var(--metered-call-muted-foreground, #a3abbd);
    --_tile-background: var(--metered-call-tile-background, #1c2230);
    --_tile-radius: var(--metered-call-tile-radius, 14px);
    --_tile-aspect-ratio: var(--metered-call-tile-aspect-ratio, 16 / 9);
    --_gap: var(--metered-call-gap, 10px);
    --_padding: var(--metered-call-padding, 12px);
    --_radius: var(--metered-call-radius, 18px);
    --_accent: var(--metered-call-accent, #3b82f6);
    --_accent-foreground: var(--metered-call-accent-foreground, #ffffff);
    --_danger: var(--metered-call-danger, #e5484d);
    --_font-family: var(--metered-call-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    --_min-height: var(--metered-call-min-height, 320px);

    display: block;
    box-sizing: border-box;
    container-type: inline-size;
    min-height: var(--_min-height);
    padding: var(--_padding);
    border-radius: var(--_radius);
    background: var(--_background);
    color: var(--_foreground);
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

  .frame {
    display: flex;
    flex-direction: column;
    gap: var(--_gap);
    min-height: calc(var(--_min-height) - 2 * var(--_padding));
  }

  /* ---- lobby: before joining, after leaving, on error ---- */
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
    background: radial-gradient(120% 120% at 50% 0%, color-mix(in srgb, var(--_accent) 18%, var(--_tile-background)) 0%, var(--_tile-background) 60%);
  }
  .lobby-icon {
    display: grid;
    place-items: center;
    width: 64px;
    height: 64px;
    border-radius: 50%;
    background: color-mix(in srgb, var(--_accent) 22%, transparent);
    color: var(--_accent);
  }
  .lobby-icon svg {
    width: 30px;
    height: 30px;
  }
  .lobby h2 {
    margin: 0;
    font-size: 1.25em;
    font-weight: 650;
    letter-spacing: -0.01em;
  }
  .lobby p {
    margin: 0;
    max-width: 46ch;
    color: var(--_muted);
  }
  .room {
    font-family: ui-monospace, 'SF Mono', Menlo, Consolas, monospace;
    font-size: 0.9em;
    color: var(--_foreground);
    overflow-wrap: anywhere;
  }

  /* ---- the stage: one tile per participant ---- */
  .stage {
    --_cols: 1;
    flex: 1;
    display: flex;
    flex-wrap: wrap;
    align-content: center;
    justify-content: center;
    gap: var(--_gap);
  }
  .stage[data-count='2'],
  .stage[data-count='3'],
  .stage[data-count='4'] {
    --_cols: 2;
  }
  .stage[data-count='5'],
  .stage[data-count='6'],
  .stage[data-count='7'],
  .stage[data-count='8'],
  .stage[data-count='9'] {
    --_cols: 3;
  }
  .stage[data-count='many'] {
    --_cols: 4;
  }
  @container (max-width: 520px) {
    .stage[data-count='2'] {
      --_cols: 1;
    }
    .stage[data-count='many'] {
      --_cols: 2;
    }
  }
  .stage[data-count='1'] .tile {
    max-width: 860px;
  }

  .tile {
    position: relative;
    flex: 0 0 calc((100% - (var(--_cols) - 1) * var(--_gap)) / var(--_cols));
    aspect-ratio: var(--_tile-aspect-ratio);
    margin: 0;
    overflow: hidden;
    border-radius: var(--_tile-radius);
    background: var(--_tile-background);
    box-shadow: 0 1px 0 rgb(255 255 255 / 0.04) inset, 0 8px 24px rgb(0 0 0 / 0.25);
  }
  .tile video {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    object-fit: cover;
    background: transparent;
  }
  .tile.local video {
    transform: scaleX(-1); /* a self-view reads like a mirror */
  }

  .avatar {
    position: absolute;
    inset: 0;
    display: grid;
    place-items: center;
    background: var(--_tile-background);
  }
  .initials {
    display: grid;
    place-items: center;
    width: clamp(48px, 28%, 112px);
    aspect-ratio: 1;
    border-radius: 50%;
    font-size: clamp(18px, 4cqi, 40px);
    font-weight: 650;
    letter-spacing: 0.02em;
    color: #fff;
    background: var(--_avatar, #5b6478);
    text-transform: uppercase;
    user-select: none;
  }
  .avatar[data-hue='0'] { --_avatar: #c2410c; }
  .avatar[data-hue='1'] { --_avatar: #b45309; }
  .avatar[data-hue='2'] { --_avatar: #15803d; }
  .avatar[data-hue='3'] { --_avatar: #0f766e; }
  .avatar[data-hue='4'] { --_avatar: #0369a1; }
  .avatar[data-hue='5'] { --_avatar: #4338ca; }
  .avatar[data-hue='6'] { --_avatar: #7e22ce; }
  .avatar[data-hue='7'] { --_avatar: #be185d; }

  .label {
    position: absolute;
    left: 10px;
    bottom: 10px;
    right: 10px;
    display: flex;
    align-items: center;
    gap: 6px;
    pointer-events: none;
  }
  .name {
    min-width: 0;
    max-width: 100%;
    padding: 3px 10px;
    border-radius: 999px;
    background: rgb(10 12 18 / 0.62);
    backdrop-filter: blur(6px);
    font-size: 0.85em;
    font-weight: 550;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .tile .status {
    position: absolute;
    top: 10px;
    left: 10px;
    padding: 2px 9px;
    border-radius: 999px;
    background: rgb(10 12 18 / 0.62);
    color: var(--_muted);
    font-size: 0.78em;
  }
  .tile .status[data-connection='unreachable'] {
    color: #fff;
    background: color-mix(in srgb, var(--_danger) 80%, transparent);
  }

  /* ---- bar below the stage ---- */
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 10px;
    min-height: 44px;
  }
  .bar .summary {
    flex: 1;
    min-width: 0;
    color: var(--_muted);
    font-size: 0.9em;
  }
  .bar .summary strong {
    color: var(--_foreground);
    font-weight: 600;
  }

  button {
    font: inherit;
    font-weight: 600;
    border: 0;
    border-radius: 999px;
    padding: 10px 20px;
    cursor: pointer;
    color: var(--_accent-foreground);
    background: var(--_accent);
    transition: filter 120ms ease, transform 120ms ease;
  }
  button:hover {
    filter: brightness(1.08);
  }
  button:active {
    transform: translateY(1px);
  }
  button:focus-visible {
    outline: 3px solid color-mix(in srgb, var(--_accent) 55%, white);
    outline-offset: 2px;
  }
  button:disabled {
    cursor: progress;
    opacity: 0.7;
  }
  .leave {
    background: var(--_danger);
    color: #fff;
  }
  .secondary {
    background: rgb(255 255 255 / 0.1);
    color: var(--_foreground);
  }

  .notice,
  .error {
    margin: 0;
    padding: 10px 14px;
    border-radius: 12px;
    font-size: 0.9em;
  }
  .notice {
    background: color-mix(in srgb, #f5a524 16%, transparent);
    color: #fcd88a;
  }
  .error {
    max-width: 56ch;
    text-align: left;
    background: color-mix(in srgb, var(--_danger) 16%, transparent);
    color: #ffc9cb;
  }
  .error strong {
    display: block;
    color: #fff;
    margin-bottom: 4px;
  }
  .error code {
    font-size: 0.85em;
    opacity: 0.8;
  }
  .lobby[data-state='error'] .lobby-icon {
    background: color-mix(in srgb, var(--_danger) 22%, transparent);
    color: var(--_danger);
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
    button {
      transition: none;
    }
  }
`;
