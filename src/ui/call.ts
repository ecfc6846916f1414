// The call screen: the stage of tiles (its layout chosen by the view model), the open side
// panel, a notice, the "enable audio" button when the browser blocked sound, and the bar.
import { html, nothing, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Strings } from '../i18n/strings.js';
import { icons } from './icons.js';
import { renderTile } from './tile.js';
import type { StageView } from './view-model.js';

export interface CallView {
  s: Strings;
  stage: StageView;
  /** "Waiting for others" on the stage (joined, nobody else here). */
  alone: boolean;
  /** The call timer (`show-timer`), over the top of the stage. */
  timer?: TemplateResult | null;
  /** The open side panel, already rendered. */
  panel: TemplateResult | null;
  notice: string | null;
  soundBlocked: boolean;
  onUnmute: () => void;
  onRemoteMedia: (e: Event) => void;
  bar: TemplateResult;
}

export function renderCall(v: CallView): TemplateResult {
  const { s, stage } = v;
  return html`
    <div class="main" ?data-panel=${!!v.panel}>
      <section part="stage" class="stage" data-layout=${stage.layout} data-count=${String(stage.count)} aria-label=${s.stage}>
        ${repeat(stage.tiles, t => t.key, t => renderTile(t, s, v.onRemoteMedia))}
        ${v.alone ? html`<div part="empty" class="empty"><slot name="empty">${s.waiting}</slot></div>` : nothing}
        ${v.timer ?? nothing}
      </section>
      ${v.panel ?? nothing}
    </div>
    ${v.notice ? html`<p part="notice" class="notice" role="status">${v.notice}</p>` : nothing}
    ${v.soundBlocked
      ? html`<button part="button unmute-button" class="unmute" @click=${v.onUnmute}>${icons.sound}<span>${s.enableAudio}</span></button>`
      : nothing}
    ${v.bar}
  `;
}
