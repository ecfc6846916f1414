// The call experience's messages, beside messages.ts and under the same rules: what
// other participants send is hostile until parsed here. Shapes are checked, sizes
// bounded, text cleaned; the sender is always the server-stamped `senderPeerId`, never
// a field inside the data. Both travel as channel broadcasts (`peer.send`).
//
//   { type: "state", audio: boolean, video: boolean, screen: boolean }   ~50 bytes
//   { type: "chat", text: string }                                       ≤ 500 characters

import { cleanChatText, MAX_CHAT_LENGTH, parsePeerMessage } from './messages.js';

// the chat text rules and the schemas live with every other message's, in messages.ts
export { cleanChatText, MAX_CHAT_LENGTH };

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

export const stateMessage = (s: MediaState): StateMessage => ({ type: 'state', audio: s.audio, video: s.video, screen: s.screen });

export const chatMessage = (text: string): ChatMessage => ({ type: 'chat', text: cleanChatText(text) });

/** Parses a `state` or `chat` payload; `null` for anything else or anything malformed (the schemas are in messages.ts). */
export function parseCallMessage(data: unknown): CallMessage | null {
  const message = parsePeerMessage(data);
  return message?.type === 'state' || message?.type === 'chat' ? message : null;
}
