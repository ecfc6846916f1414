// Raised hands, reactions and connection quality as the call screen shows them: the marks on
// a camera tile, the reaction picker above the bar and the people panel. Names come from
// other participants: rendered only through Lit text bindings, already cleaned and bounded;
// a reaction is shown by its key's emoji, never by anything a peer sent as text.
import { html, nothing, svg, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { QualityReport } from '../call/connection-quality.js';
import type { Strings } from '../i18n/strings.js';
import { REACTION_EMOJI, REACTION_KEYS, type QualityLevel, type ReactionKey } from '../protocol/interaction-messages.js';
import { RANK } from '../call/connection-quality.js';
import { icon, icons } from './icons.js';
import type { Social, TileView } from './view-model.js';

export const HAND = '\u270B';
const bars = icon(svg`<path d="M5 19v-3"/><path d="M12 19v-7"/><path d="M19 19V6"/>`);
export const socialIcons = {
  people: icon(svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20a6.5 6.5 0 0 1 13 0M15.5 4.8a3.5 3.5 0 0 1 0 6.4M21.5 20a6.5 6.5 0 0 0-4-6"/>`),
  // line icons like the rest of the bar: an emoji's look depends on the visitor's fonts
  hand: icon(svg`<path d="M7 12V6.5a1.5 1.5 0 0 1 3 0V11m0-.5v-6a1.5 1.5 0 0 1 3 0v6m0 0V5.5a1.5 1.5 0 0 1 3 0V12m0-.5v-3a1.5 1.5 0 0 1 3 0V14a7 7 0 0 1-7 7h-1a6 6 0 0 1-4.8-2.4l-3.6-4.2a1.5 1.5 0 0 1 2.3-1.9L7 14.5"/>`),
  reactions: icon(svg`<circle cx="12" cy="12" r="9.5"/><path d="M9 9.5h.01M15 9.5h.01M8 14.5a4.5 4.5 0 0 0 8 0"/>`),
};

/**
 * What a tile says of a connection: what we measure (`measured`), or what the participant
 * reports of their own upload when that is worse (`reported`; remote tiles only).
 */
export function qualityOf(measured: QualityReport | null, reported: QualityLevel | undefined, s: Strings): Pick<Social, 'quality' | 'qualityTitle'> {
  const theirs = !!reported && RANK[reported] > RANK[measured?.level ?? 'good'];
  const quality = theirs ? reported! : (measured?.level ?? null);
  if (!quality) return { quality: null, qualityTitle: '' };
  const reasons = (measured?.reasons ?? []).map(r => `${s.qualityReasons[r.metric]} ${r.value} ${r.unit}`);
  if (theirs) reasons.unshift(s.theirNetwork);
  return { quality, qualityTitle: s.quality[quality] + (reasons.length ? `: ${reasons.join(', ')}` : '') };
}

/** A tile's reaction, shown over the video (announced through the live region, so hidden from it here). */
export const renderReaction = (v: Social | undefined) =>
  v?.reaction ? html`<span part="reaction" class="reaction" aria-hidden="true">${v.reaction}</span>` : nothing;

/** A tile's hand and quality marks, beside its name. */
export function renderMarks(v: Social | undefined, s: Strings): TemplateResult | typeof nothing {
  if (!v) return nothing;
  return html`${v.hand ? html`<span part="hand" class="mark hand" role="img" aria-label=${s.handUp}>${HAND}</span>` : nothing}${v.quality
    ? html`<span part="quality" class="mark quality" data-level=${v.quality} role="img" aria-label=${v.qualityTitle}>${bars}</span>`
    : nothing}`;
}

/** The reactions to choose from: a small group above the bar. */
export function renderReactionPicker(s: Strings, onPick: (reaction: ReactionKey) => void): TemplateResult {
  return html`<div part="reaction-picker" class="picker" role="group" aria-label=${s.reactions}>
    ${REACTION_KEYS.map(key => html`<button type="button" part="button reaction-button" class="icon-btn emoji" data-reaction=${key} @click=${() => onPick(key)}>${REACTION_EMOJI[key]}</button>`)}
  </div>`;
}

/**
 * Everyone in the call (their camera tiles): hands up first, in the order they went up
 * (`queue`: the others' hands, first raised first; ours after them), then in the stage's order.
 */
export function renderPeople(tiles: readonly TileView[], queue: readonly string[], s: Strings, onClose: () => void): TemplateResult {
  const rank = (t: TileView) => (!t.social?.hand ? Infinity : t.local ? queue.length : queue.indexOf(t.peerId));
  const people = tiles.filter(t => !t.screen).sort((a, b) => rank(a) - rank(b) || 0);
  const mark = (on: boolean, onIcon: TemplateResult, offIcon: TemplateResult, onLabel: string, offLabel: string) =>
    html`<span class="mark" ?data-off=${!on} role="img" aria-label=${on ? onLabel : offLabel}>${on ? onIcon : offIcon}</span>`;
  return html`<aside part="people panel" class="panel people" aria-label=${s.people}>
    <div class="panel-head">
      <h2>${s.people}</h2>
      <button type="button" part="button close-button" class="icon-btn" aria-label=${s.close} title=${s.close} @click=${onClose}>${icons.close}</button>
    </div>
    <ul part="people-list" class="people-list" aria-label=${s.people} tabindex="0">
      ${repeat(
        people,
        t => t.key,
        t => html`<li part="person${t.local ? ' self' : ''}" class="person" data-peer-id=${t.peerId}>
          <span class="name">${t.local ? s.you(t.name) : t.name || s.guest}</span>
          ${renderMarks(t.social, s)}
          ${mark(!t.audioOff, icons.mic, icons.micOff, s.micOn, s.micOff)}${mark(!t.videoOff, icons.camera, icons.cameraOff, s.cameraOn, s.cameraOff)}
        </li>`,
      )}
    </ul>
  </aside>`;
}
