// One participant's tile: video (or initials), name, microphone state, connection state.
// Every per-tile state is a part token too, since page CSS has no other way into a tile:
// `tile` + `local self` | `remote`, and `screen`, `main`, `speaking`, `audio-off`,
// `video-off`, `connecting`, `reconnecting`, `failed`, `hand-raised` when they apply.
import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from '../i18n/strings.js';
import { icons } from './icons.js';
import { renderMarks, renderReaction } from './social.js';
import { srcObject } from './src-object.js';
import type { TileView } from './view-model.js';

export function renderTile(v: TileView, s: Strings, onMedia: (e: Event) => void): TemplateResult {
  const label = v.screen ? s.screenOf(v.local ? s.you('') : v.name || s.guest) : v.local ? s.you(v.name) : v.name || s.guest;
  const parts = [
    'tile',
    v.local ? 'local self' : 'remote',
    v.screen && 'screen',
    v.main && 'main',
    v.speaking && 'speaking',
    v.audioOff && !v.screen && 'audio-off',
    v.videoOff && 'video-off',
    v.connection !== 'connected' && v.connection,
    v.social?.hand && 'hand-raised',
  ]
    .filter(Boolean)
    .join(' ');
  const status =
    v.status ??
    (v.connection === 'failed'
      ? s.peerFailed
      : v.connection === 'reconnecting'
        ? s.peerReconnecting
        : v.connection === 'connecting' && !v.showVideo
          ? s.connecting
          : '');
  // local video is muted (no echo); a remote screen has no sound; remote cameras play sound
  const muted = v.local || v.screen;
  return html`<figure
    part=${parts}
    class="tile ${v.local ? 'local' : 'remote'}"
    data-key=${v.key}
    data-peer-id=${v.peerId}
    data-connection=${v.connection}
    ?data-main=${v.main}
    ?data-screen=${v.screen}
    ?data-speaking=${v.speaking}
    data-send=${v.send ?? nothing}
    data-quality=${v.quality ?? nothing}
    data-connection-quality=${v.social?.quality ?? nothing}
    title=${v.social?.qualityTitle || nothing}
  >
    ${v.stream && (v.showVideo || !v.local)
      ? html`<video
          part="video"
          autoplay
          playsinline
          ?muted=${muted}
          .muted=${muted}
          ${srcObject(v.stream)}
          ?hidden=${!v.showVideo && !v.warming}
          @loadedmetadata=${muted ? null : onMedia}
        ></video>`
      : nothing}
    ${v.showVideo ? nothing : renderAvatar(v.name, v.key)}
    ${renderReaction(v.social)}
    ${status ? html`<span part="status" class="status" data-connection=${v.connection}>${status}</span>` : nothing}
    <figcaption class="label">
      ${v.audioOff && !v.screen ? html`<span part="mic-off" class="mic-off" role="img" aria-label=${s.micOff}>${icons.micOff}</span>` : nothing}
      <span part="name" class="name">${label}</span>
      ${renderMarks(v.social, s)}
    </figcaption>
  </figure>`;
}

export function renderAvatar(name: string, key: string): TemplateResult {
  return html`<div part="avatar" class="avatar" data-hue=${hueOf(key)}>
    <span class="initials" aria-hidden="true">${initialsOf(name)}</span>
  </div>`;
}

export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = Array.from(words[0]!)[0] ?? '';
  const last = words.length > 1 ? (Array.from(words[words.length - 1]!)[0] ?? '') : '';
  return (first + last).toUpperCase();
}

function hueOf(key: string): string {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return String(h % 8);
}
