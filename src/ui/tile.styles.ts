// Styles of a participant tile (ui/tile.ts): video or initials, name, microphone and connection state.
import { css } from 'lit';

export const tileStyles = css`
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
`;
