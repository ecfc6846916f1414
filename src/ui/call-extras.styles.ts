// Styles of the optional call features (ui/call-extras.ts): the processing switches, the
// call timer (over the stage) and the leave question (a small panel above the Leave button).
import { css } from 'lit';

export const callExtraStyles = css`
  .switch {
    flex-direction: row;
    align-items: center;
    gap: 10px;
  }
  .switch input {
    margin: 0;
    accent-color: var(--_accent);
  }
  /* the timer: a badge centred over the top of the stage, like the tiles' status badges */
  .timer {
    position: absolute;
    top: 8px;
    left: 50%;
    transform: translateX(-50%);
    z-index: 1;
    padding: 2px 9px;
    border-radius: 999px;
    background: var(--_overlay);
    color: #fff;
    font-size: 0.8em;
    font-weight: 550;
    font-variant-numeric: tabular-nums;
  }
  .bar {
    position: relative;
  }
  .leave-confirm {
    position: absolute;
    bottom: calc(100% + 8px);
    inset-inline-end: 0;
    gap: 8px;
    padding: 12px;
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.28);
  }
  .leave-confirm p {
    margin: 0;
    font-weight: 600;
  }
`;
