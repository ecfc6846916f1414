// What the optional call features add to the screen: the speaker picker and the microphone's
// processing switches (in the device panel), the call timer (over the stage), and the
// leave question (above the Leave button).
import { html, nothing, type TemplateResult } from 'lit';
import type { AudioProcessing, AudioSwitch } from '../call/audio-processing.js';
import { formatElapsed } from '../call/call-timer.js';
import type { Strings } from '../i18n/strings.js';

/** The speaker picker; nothing where outputs cannot be chosen or none is listed. */
export function renderSpeakerSelect(outputs: readonly MediaDeviceInfo[], chosen: string, s: Strings, onChoose: (id: string) => void): TemplateResult | typeof nothing {
  if (!outputs.length) return nothing;
  return html`<label class="field">
    <span>${s.speaker}</span>
    <select part="device-select speaker-select" @change=${(e: Event) => onChoose((e.target as HTMLSelectElement).value)}>
      ${outputs.map((d, i) => html`<option value=${d.deviceId} ?selected=${d.deviceId === chosen}>${d.label || `${s.speaker} ${i + 1}`}</option>`)}
    </select>
  </label>`;
}

const SWITCH_PART: Record<AudioSwitch, string> = {
  noiseSuppression: 'noise-suppression',
  echoCancellation: 'echo-cancellation',
  autoGainControl: 'auto-gain',
};

/** One switch per processing the microphone reports, checked as the browser applied it. */
export function renderProcessingSwitches(
  settings: AudioProcessing,
  busy: boolean,
  s: Strings,
  /** Resolves with what the microphone does then, which the switch shows (the browser may refuse). */
  onSet: (name: AudioSwitch, on: boolean) => Promise<AudioProcessing>,
) {
  return (Object.keys(SWITCH_PART) as AudioSwitch[]).map(name =>
    settings[name] === undefined
      ? nothing
      : html`<label class="field switch">
          <input
            type="checkbox"
            role="switch"
            part="switch ${SWITCH_PART[name]}-switch"
            .checked=${settings[name]}
            ?disabled=${busy}
            @change=${async (e: Event) => {
              const input = e.target as HTMLInputElement;
              input.checked = (await onSet(name, input.checked))[name] ?? false;
            }}
          />
          <span>${s[name]}</span>
        </label>`,
  );
}

/** The elapsed call time, in the locale's digits. */
export function renderTimer(ms: number, lang: string, s: Strings): TemplateResult {
  return html`<time part="timer" class="timer" datetime="PT${Math.floor(ms / 1000)}S" title=${s.callTime}>${formatElapsed(ms, lang || undefined)}</time>`;
}

/** "Leave the call?" with Cancel (focused) and Leave. */
export function renderLeaveConfirm(s: Strings, onConfirm: () => void, onCancel: () => void, onKeydown: (e: KeyboardEvent) => void): TemplateResult {
  return html`<div part="leave-confirm" class="panel leave-confirm" role="alertdialog" aria-labelledby="leave-question" @keydown=${onKeydown}>
    <p id="leave-question">${s.leaveConfirm}</p>
    <button type="button" part="button cancel-button" class="ctl" @click=${onCancel}>${s.cancel}</button>
    <button type="button" part="button confirm-button" class="ctl leave" @click=${onConfirm}>${s.leave}</button>
  </div>`;
}
