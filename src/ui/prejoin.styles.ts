// Styles of the pre-join screen (ui/prejoin.ts) and of the form fields it shares with the devices panel.
import { css } from 'lit';

export const prejoinStyles = css`
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

`;
