// The chat panel. Names and messages come from other participants: they are rendered
// only through Lit text bindings (never as HTML), already cleaned and bounded.
import { html, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatEntry } from '../call/chat.js';
import type { Strings } from '../i18n/strings.js';
import { MAX_CHAT_LENGTH } from '../protocol/messages.js';
import { icons } from './icons.js';

export function renderChat(messages: ChatEntry[], s: Strings, onSend: (e: Event) => void, onClose: () => void): TemplateResult {
  return html`<aside part="chat panel" class="panel chat" aria-label=${s.chat}>
    <div class="panel-head">
      <h2>${s.chat}</h2>
      <button type="button" part="button close-button" class="icon-btn" aria-label=${s.close} title=${s.close} @click=${onClose}>${icons.close}</button>
    </div>
    <div part="messages" class="messages" role="log" aria-label=${s.chat} tabindex="0">
      ${messages.length
        ? repeat(
            messages,
            m => m.id,
            m => html`<div part="message${m.self ? ' self' : ''}" class="message" ?data-self=${m.self}>
              <span part="message-author" class="author">${m.self ? s.you('') : m.username}</span>
              <span part="message-text" class="text">${m.text}</span>
            </div>`,
          )
        : html`<p class="empty-chat">${s.noMessages}</p>`}
    </div>
    <form class="compose" @submit=${onSend}>
      <input part="message-input" name="text" autocomplete="off" maxlength=${MAX_CHAT_LENGTH} aria-label=${s.message} placeholder=${s.message} />
      <button part="button send-button" class="icon-btn send" type="submit" aria-label=${s.send} title=${s.send}>${icons.send}</button>
    </form>
  </aside>`;
}
