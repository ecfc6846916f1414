// Styles of the call screen (ui/call.ts): the stage (+ side panel) above the control bar,
// the grid and speaker layouts, and the "waiting for others" note.
import { css, unsafeCSS } from 'lit';
import { MAX_COUNTED_TILES } from './view-model.js';

// --_n: how many tiles the stage sizes for, from data-count (the view model caps it)
const tileCounts = unsafeCSS(
  Array.from({ length: MAX_COUNTED_TILES - 1 }, (_, i) => `.stage[data-count='${i + 2}']{--_n:${i + 2}}`).join(''),
);

export const callStyles = css`
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
  ${tileCounts}

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

`;
