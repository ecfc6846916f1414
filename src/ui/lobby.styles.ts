// Styles of the lobby (ui/lobby.ts): after leaving, on error, and with skip-prejoin or autojoin.
import { css } from 'lit';

export const lobbyStyles = css`
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

`;
