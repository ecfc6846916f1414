// The pre-join screen: a camera preview with microphone and camera toggles, the name
// field (pre-filled from `name`, else what this visitor used last time on this site),
// device pickers and the Join button. The `lobby` slot adds the page's own content.
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';
import { MAX_NAME_LENGTH } from '../protocol/messages.js';
import { renderToggle, type ToggleActions } from './controls.js';
import { icons } from './icons.js';
import { renderTile } from './tile.js';
import type { TileView, ToggleState } from './view-model.js';

export interface PrejoinView {
  s: Strings;
  room: string;
  name: string;
  preview: TileView;
  toggles: ToggleState[];
  actions: ToggleActions;
  devices: TemplateResult;
  notice: string | null;
  onJoin: (e: Event) => void;
}

export function renderPrejoin(v: PrejoinView): TemplateResult {
  const { s } = v;
  return html`<div part="prejoin lobby" class="prejoin" data-state="idle">
    <div class="preview">
      ${renderTile(v.preview, s, () => {})}
      <div class="preview-controls">${v.toggles.map(t => renderToggle(t, s, v.actions))}</div>
    </div>
    <form class="form" @submit=${v.onJoin}>
      <h2 class="title">${s.prejoinTitle}</h2>
      <p class="room-line">${v.room ? s.room(v.room) : s.noRoom}</p>
      <slot name="lobby"></slot>
      ${v.notice ? html`<p part="notice" class="notice" role="status">${v.notice}</p>` : nothing}
      <label class="field">
        <span>${s.yourName}</span>
        <input
          part="name-input"
          name="name"
          autocomplete="name"
          maxlength=${MAX_NAME_LENGTH}
          placeholder=${s.namePlaceholder}
          .value=${v.name}
        />
      </label>
      ${v.devices}
      <button part="button join-button" class="join" type="submit">${icons.camera}<span>${s.join}</span></button>
    </form>
  </div>`;
}
