// The lobby: what the element shows before a call without the pre-join screen
// (`skip-prejoin`, `autojoin`), after leaving, and on a fatal error — what happened,
// how the site owner can fix it, and the Join / Rejoin / Try again button.
import { html, type TemplateResult } from 'lit';
import type { MeteredCallError } from '../errors.js';
import type { Strings } from '../i18n/strings.js';
import type { CallState } from '../types.js';
import { icons } from './icons.js';

export interface LobbyView {
  s: Strings;
  state: CallState;
  room: string;
  /** The fatal error in `error` state. */
  error: MeteredCallError | null;
  onJoin: () => void;
}

export function renderLobby({ s, state, room, error, onJoin }: LobbyView): TemplateResult {
  const heading = error ? (s.errors[error.code] ?? error.viewerMessage) : state === 'left' ? s.left : s.call;
  return html`
    <div part="lobby" class="lobby" data-state=${state}>
      <div class="lobby-icon" aria-hidden="true">${error ? icons.alert : icons.camera}</div>
      <h2>${heading}</h2>
      ${error
        ? html`<div part="error" class="error" role="alert">
            <strong>${s.howToFix}</strong>${error.hint} <code>(${error.code})</code>
          </div>`
        : html`<p>${room ? s.room(room) : s.noRoom}</p>`}
      <slot name="lobby"></slot>
      <div part="controls" class="controls">
        <button part="button join-button" class="join" @click=${onJoin}>${error ? s.tryAgain : state === 'left' ? s.rejoin : s.join}</button>
      </div>
    </div>
  `;
}
