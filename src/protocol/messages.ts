// The only place that reads data other participants send us, and the only place that
// builds what we send them. Everything from the network is hostile until this module
// says otherwise: shapes are checked, sizes bounded, names cleaned, senders rate-limited.
// Identity is the server-stamped `senderPeerId`, never a field inside the data.
import { field, isPlainRecord, parseWith, type Infer, type Schema } from './schema.js';
import { QUALITY_LEVELS, REACTION_KEYS } from './vocabulary.js';
import { MAX_PEER_ID_CHARS, MAX_VIEW_IDS, PEER_ID } from './view-limits.js';

/** Longest display name we keep (in code points, after cleaning). */
export const MAX_NAME_LENGTH = 64;
/** Larger app payloads are dropped unread (an `introduce` is ~60 bytes). */
export const MAX_MESSAGE_CHARS = 4096;

// C0/C1 controls, bidi overrides and isolates, zero-width and other invisible format
// characters, line/paragraph separators: nothing a name needs, all useful for spoofing.
// eslint-disable-next-line no-control-regex
const UNWANTED = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb]/g;

/** A display name as we show and send it: cleaned, whitespace collapsed, bounded; `''` when nothing is left. */
export function cleanName(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  // bound the work before the regexes: a name longer than this is not a name
  const text = raw.slice(0, MAX_NAME_LENGTH * 8).normalize('NFC').replace(UNWANTED, '').replace(/\s+/g, ' ').trim();
  const chars = Array.from(text); // code points: never split a surrogate pair
  return chars.length > MAX_NAME_LENGTH ? chars.slice(0, MAX_NAME_LENGTH).join('').trimEnd() : text;
}

/** Longest chat message, in code points after cleaning. */
export const MAX_CHAT_LENGTH = 500;

// controls (except tab and newline), bidi overrides/isolates, zero-width and other
// invisible format characters: never needed in a chat line, useful for spoofing
// eslint-disable-next-line no-control-regex
const UNWANTED_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/g;

/** Chat text as we show and send it: cleaned, at most `MAX_CHAT_LENGTH` code points, `''` if empty. */
export function cleanChatText(raw: unknown): string {
  if (typeof raw !== 'string') return '';
  const text = raw.slice(0, MAX_CHAT_LENGTH * 4).normalize('NFC').replace(UNWANTED_IN_TEXT, '').replace(/\t/g, ' ').replace(/\n{3,}/g, '\n\n').trim();
  const chars = Array.from(text);
  return chars.length > MAX_CHAT_LENGTH ? chars.slice(0, MAX_CHAT_LENGTH).join('').trimEnd() : text;
}

/** What we broadcast to introduce ourselves (exactly the tutorial's shape). */
export function introduceMessage(username: string): IntroduceMessage {
  return { type: 'introduce', username: cleanName(username) };
}

/** What a participant sends — microphone on, camera on, screen shared: their media state. */
export interface MediaState {
  audio: boolean;
  video: boolean;
  screen: boolean;
}

/** What we broadcast when our media state changes (~50 bytes). */
export function stateMessage(state: MediaState): StateMessage {
  return { type: 'state', audio: state.audio, video: state.video, screen: state.screen };
}

/** What we broadcast for a chat line (cleaned; the sender is stamped by the server). */
export function chatMessage(text: string): ChatMessage {
  return { type: 'chat', text: cleanChatText(text) };
}

/**
 * One schema per message type we accept (src/protocol/schema.ts). A payload is parsed
 * only through these: fields not named here — a spoofed `from` or `peerId` among them —
 * are never read, and every named field comes out cleaned and bounded.
 */
export const PEER_MESSAGE_SCHEMAS = {
  /** Metered's tutorial: `peer.send({ type: "introduce", username })`. */
  introduce: { username: field.text(cleanName, MAX_MESSAGE_CHARS) },
  /** What a participant sends: `{ type: "state", audio, video, screen }` (booleans). */
  state: { audio: field.boolean(), video: field.boolean(), screen: field.boolean() },
  /** A chat line: `{ type: "chat", text }`; too long is refused, not cut (a well-behaved sender never sends more). */
  chat: { text: field.text(cleanChatText, MAX_CHAT_LENGTH * 4) },
  /** Raise or lower one's hand: `{ type: "hand", raised }` (interaction-messages.ts). */
  hand: { raised: field.boolean() },
  /** A reaction by key from a fixed set, never free text: `{ type: "reaction", reaction: "clap" }`. */
  reaction: { reaction: field.oneOf(...REACTION_KEYS) },
  /** The sender's own upload quality as it measures it: `{ type: "quality", level: "good" | "fair" | "poor" }`. */
  quality: { level: field.oneOf(...QUALITY_LEVELS) },
  /** Whose tiles the sender does not show now (view-messages.ts): `{ type: "view", hidden: [peerId…] }`. */
  view: { hidden: field.list(field.token(PEER_ID, MAX_PEER_ID_CHARS), MAX_VIEW_IDS) },
} as const satisfies Record<string, Schema>;

export type PeerMessageType = keyof typeof PEER_MESSAGE_SCHEMAS;

/** Every message we understand, as `parsePeerMessage` returns it. */
export type PeerMessage = {
  [K in PeerMessageType]: { type: K } & Infer<(typeof PEER_MESSAGE_SCHEMAS)[K]>;
}[PeerMessageType];

export type IntroduceMessage = Extract<PeerMessage, { type: 'introduce' }>;
export type StateMessage = Extract<PeerMessage, { type: 'state' }>;
export type ChatMessage = Extract<PeerMessage, { type: 'chat' }>;

/** Parses one payload another participant sent; `null` for anything we do not accept. */
export function parsePeerMessage(data: unknown): PeerMessage | null {
  if (!isPlainRecord(data)) return null; // strings, numbers, null, arrays: not a message
  if (!withinSize(data)) return null;
  const type = data.type;
  if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(PEER_MESSAGE_SCHEMAS, type)) return null;
  const fields = parseWith(PEER_MESSAGE_SCHEMAS[type as PeerMessageType], data);
  return fields ? ({ type, ...fields } as PeerMessage) : null;
}

function withinSize(data: object): boolean {
  try {
    return JSON.stringify(data).length <= MAX_MESSAGE_CHARS;
  } catch {
    return false; // cycles or BigInt cannot have come off the wire, but never trust that
  }
}

/**
 * Token bucket per sender: `burst` messages at once, then `perSecond`. Senders are
 * forgotten after a minute of silence so the map stays small.
 */
export class SenderRateLimit {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst = 10,
    private readonly perSecond = 2,
    private readonly maxSenders = 512,
  ) {}

  /** `true` if a message from `senderPeerId` may be processed now. */
  allow(senderPeerId: string, now = Date.now()): boolean {
    let bucket = this.buckets.get(senderPeerId);
    if (!bucket) {
      if (this.buckets.size >= this.maxSenders) this.evict(now);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(senderPeerId, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  forget(senderPeerId: string): void {
    this.buckets.delete(senderPeerId);
  }

  private evict(now: number): void {
    for (const [id, b] of this.buckets) if (now - b.at > 60_000) this.buckets.delete(id);
    // still full: drop the oldest entry (Map keeps insertion order)
    if (this.buckets.size >= this.maxSenders) this.buckets.delete(this.buckets.keys().next().value as string);
  }
}
