// The control bar, the device pickers (pre-join and mid-call) and their panel.
// Toggles are real <button>s with `aria-pressed` (pressed = on / open) and a constant
// label; the keyboard shortcut is announced with `aria-keyshortcuts` and shown in the tooltip.
import { html, nothing, type TemplateResult } from 'lit';
import type { Devices, DeviceKind } from '../controllers/devices.js';
import type { Strings } from '../i18n/strings.js';
import { icons } from './icons.js';

export interface ToggleView {
  part: string;
  label: string;
  on: boolean;
  icon: TemplateResult;
  onClick: () => void;
  key?: string;
  /** Why the control does nothing here (unsupported, no device): shown as its description. */
  unavailable?: string;
  /** Shown as a badge (unread messages), and named by `badgeLabel`. */
  badge?: number;
  badgeLabel?: (label: string, count: string) => string;
}

export function renderToggle(t: ToggleView): TemplateResult {
  const badge = t.badge ? (t.badge > 9 ? '9+' : String(t.badge)) : '';
  return html`<button
    type="button"
    part="button ${t.part}"
    class="ctl"
    aria-label=${badge && t.badgeLabel ? t.badgeLabel(t.label, badge) : t.label}
    aria-pressed=${t.on ? 'true' : 'false'}
    aria-disabled=${t.unavailable ? 'true' : nothing}
    aria-keyshortcuts=${t.key ?? nothing}
    title=${t.unavailable ?? (t.key ? `${t.label} (${t.key})` : t.label)}
    @click=${t.unavailable ? null : t.onClick}
  >
    ${t.icon}${badge ? html`<span part="badge" class="badge" aria-hidden="true">${badge}</span>` : nothing}
  </button>`;
}

export interface BarView {
  s: Strings;
  summary: TemplateResult | string;
  toggles: ToggleView[];
  leaveLabel: string;
  onLeave: () => void;
}

export function renderBar(v: BarView): TemplateResult {
  return html`<div part="controls" class="bar" role="group" aria-label=${v.s.controls}>
    <span part="summary" class="summary">${v.summary}</span>
    <div class="buttons">
      ${v.toggles.map(renderToggle)}
      <slot name="controls"></slot>
      <button type="button" part="button leave-button" class="ctl leave" aria-label=${v.leaveLabel} title=${v.leaveLabel} @click=${v.onLeave}>
        ${icons.leave}<span class="leave-text">${v.leaveLabel}</span>
      </button>
    </div>
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
