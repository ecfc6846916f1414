// The call experience's messages, beside messages.ts and under the same rules: what
// other participants send is hostile until parsed here. Shapes are checked, sizes
// bounded, text cleaned; the sender is always the server-stamped `senderPeerId`, never
// a field inside the data. Both travel as channel broadcasts (`peer.send`).
//
//   { type: "state", audio: boolean, video: boolean, screen: boolean }   ~50 bytes
//   { type: "chat", text: string }                                       ≤ 500 characters

/** Longest chat message, in code points after cleaning. */
export const MAX_CHAT_LENGTH = 500;

/** What a participant is sending: microphone on, camera on, screen being shared. */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

export interface StateMessage extends MediaState {
  type: 'state';
}

export interface ChatMessage {
  type: 'chat';
  text: string;
}

export type CallMessage = StateMessage | ChatMessage;

// controls (except tab and newline), bidi overrides/isolates, zero-width and other
// invisible format characters: never needed in a chat line, useful for spoofing
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** Chat text as we show and send it: cleaned, at most `MAX_CHAT_LENGTH` code points, `''` if empty. */
export function cleanChatText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const text = raw.slice(0, MAX_CHAT_LENGTH * 4).normalize('NFC').replace(UNWANTED, '').replace(/\t/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  const chars = Array.from(text);
  return chars.length > MAX_CHAT_LENGTH ? chars.slice(0, MAX_CHAT_LENGTH).join('').trimEnd() : text;
}

export const stateMessage = (s: MediaState): StateMessage => ({ type: 'state', audio: s.audio, video: s.video, screen: s.screen });

export const chatMessage = (text: string): ChatMessage => ({ type: 'chat', text: cleanChatText(text) });

/** Parses a `state` or `chat` payload; `null` for anything else or anything malformed. */
export function parseCallMessage(data: unknown): CallMessage | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const r = data as Record<string, unknown>;
  if (r.type === 'state') {
    const { audio, video, screen } = r;
    if (typeof audio !== 'boolean' || typeof video !== 'boolean' || typeof screen !== 'boolean') return null;
    return { type: 'state', audio, video, screen };
  }
  if (r.type === 'chat') {
    // too long is refused, not cut: a well-behaved sender never sends more
    if (typeof r.text !== 'string' || r.text.length > MAX_CHAT_LENGTH * 4) return null;
    const text = cleanChatText(r.text);
    return text ? { type: 'chat', text } : null;
  }
  return null;
}
