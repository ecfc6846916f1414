// The control bar, the device pickers (pre-join and mid-call) and their panel.
// Toggles are real <button>s with `aria-pressed` (pressed = on / open) and a constant
// label; the keyboard shortcut is announced with `aria-keyshortcuts` and shown in the tooltip.
import { html, nothing, type TemplateResult } from 'lit';
import type { Devices, DeviceKind } from '../controllers/devices.js';
import type { Strings } from '../i18n/strings.js';
import { icons } from './icons.js';
import { socialIcons } from './social.js';
import type { ToggleKind, ToggleState } from './view-model.js';

/** What each toggle does when clicked (the element's handlers). */
export type ToggleActions = Record<ToggleKind, () => void>;

/** The keyboard shortcut of each toggle that has one (handled by controllers/panels.ts). */
export const TOGGLE_KEYS: Partial<Record<ToggleKind, string>> = { mic: 'M', camera: 'V', screen: 'S', chat: 'C' };

function toggleLook(kind: ToggleKind, on: boolean, s: Strings): { label: string; icon: TemplateResult } {
  switch (kind) {
    case 'mic':
      return { label: s.microphone, icon: on ? icons.mic : icons.micOff };
    case 'camera':
      return { label: s.camera, icon: on ? icons.camera : icons.cameraOff };
    case 'screen':
      return { label: s.screen, icon: icons.screen };
    case 'chat':
      return { label: s.chat, icon: icons.chat };
    case 'devices':
      return { label: s.devices, icon: icons.devices };
    case 'hand':
      return { label: s.raiseHand, icon: socialIcons.hand };
    case 'reactions':
      return { label: s.reactions, icon: socialIcons.reactions };
    case 'people':
      return { label: s.people, icon: socialIcons.people };
    case 'pip':
      return { label: s.pictureInPicture, icon: icons.pip };
    case 'fullscreen':
      return { label: s.fullscreen, icon: icons.fullscreen };
  }
}

export function renderToggle(t: ToggleState, s: Strings, actions: ToggleActions): TemplateResult {
  const { label, icon } = toggleLook(t.kind, t.on, s);
  const key = TOGGLE_KEYS[t.kind];
  const badge = t.badge ? (t.badge > 9 ? '9+' : String(t.badge)) : '';
  return html`<button
    type="button"
    part="button ${t.kind}-button"
    class="ctl"
    aria-label=${badge ? s.unread(label, badge) : label}
    aria-pressed=${t.on ? 'true' : 'false'}
    aria-disabled=${t.unavailable ? 'true' : nothing}
    aria-keyshortcuts=${key ?? nothing}
    title=${t.unavailable ?? (key ? `${label} (${key})` : label)}
    @click=${t.unavailable ? null : actions[t.kind]}
  >
    ${icon}${badge ? html`<span part="badge" class="badge" aria-hidden="true">${badge}</span>` : nothing}
  </button>`;
}

export interface BarView {
  s: Strings;
  summary: TemplateResult | string;
  toggles: ToggleState[];
  actions: ToggleActions;
  leaveLabel: string;
  onLeave: () => void;
  /** The reaction picker, while open (above the buttons). */
  picker?: TemplateResult | null;
  /** The leave question (`confirm-leave`), shown above the Leave button. */
  confirm?: TemplateResult | null;
}

export function renderBar(v: BarView): TemplateResult {
  return html`<div part="controls" class="bar" role="group" aria-label=${v.s.controls}>
    <span part="summary" class="summary">${v.summary}</span>
    ${v.picker ?? nothing}
    <div class="buttons">
      ${v.toggles.map(t => renderToggle(t, v.s, v.actions))}
      <slot name="controls"></slot>
      <button type="button" part="button leave-button" class="ctl leave" aria-label=${v.leaveLabel} title=${v.leaveLabel} @click=${v.onLeave}>
        ${icons.leave}<span class="leave-text">${v.leaveLabel}</span>
      </button>
    </div>
    ${v.confirm ?? nothing}
  </div>`;
}

/** Camera and microphone pickers; `current` is the stream whose tracks say what is in use. */
export function renderDeviceSelects(
  devices: Devices,
  current: MediaStream | null,
  s: Strings,
  onChoose: (kind: DeviceKind, id: string) => void,
): TemplateResult {
  const select = (kind: DeviceKind, track: MediaStreamTrack | undefined) => {
    const inUse = track?.getSettings?.().deviceId;
    // until the browser lists the devices (Firefox waits for the page to have focus), the one in use
    const list: { deviceId: string; label: string }[] = devices[kind].length ? devices[kind] : inUse ? [{ deviceId: inUse, label: track!.label }] : [];
    if (!list.length) return nothing;
    const selected = inUse || devices.chosen[kind];
    return html`<label class="field">
      <span>${kind === 'camera' ? s.camera : s.microphone}</span>
      <select
        part="device-select ${kind}-select"
        @change=${(e: Event) => onChoose(kind, (e.target as HTMLSelectElement).value)}
      >
        ${list.map(
          (d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === selected}>${d.label || s.device(kind, i + 1)}</option>`,
        )}
      </select>
    </label>`;
  };
  return html`${select('camera', current?.getVideoTracks()[0])}${select('microphone', current?.getAudioTracks()[0])}`;
}

export function renderDevicesPanel(body: TemplateResult, s: Strings, onClose: () => void): TemplateResult {
  return html`<div part="devices panel" class="panel devices" role="group" aria-label=${s.devices}>
    <div class="panel-head">
      <h2>${s.devices}</h2>
      <button type="button" part="button close-button" class="icon-btn" aria-label=${s.close} title=${s.close} @click=${onClose}>${icons.close}</button>
    </div>
    ${body}
  </div>`;
}
