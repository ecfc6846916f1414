// Styles of the side panels: chat (ui/chat.ts) and devices (ui/controls.ts).
import { css } from 'lit';

export const panelStyles = css`
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
`;
