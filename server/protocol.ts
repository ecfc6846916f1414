// Wire format of Metered's Realtime Messaging protocol as @metered-ca/realtime 1.2.0
// reads and writes it (docs/protocol.md §3–§5). Parsing of client frames and
// building of server frames live here and nowhere else.

/** Caps the SDK enforces on its side and says the server mirrors (docs/protocol.md §4, §6). */
export const MAX_CHANNEL_LENGTH = 256;
export const MAX_PEER_ID_LENGTH = 128;
export const MAX_REQUEST_ID_LENGTH = 128;
/** The SDK closes with 1009 on any inbound text longer than this. */
export const MAX_SERVER_FRAME_BYTES = 1024 * 1024;
/** Envelope allowance on top of maxMessageSize for the whole inbound frame (docs/protocol.md §6). */
export const ENVELOPE_ALLOWANCE_BYTES = 4096;
/** Mirrors the SDK's RESERVED_CHANNEL_PREFIX_RE. */
const RESERVED_CHANNEL_PREFIX = /^_(metered|internal|system)\//i;

export type ErrorCode =
  | 'malformed_message'
  | 'unknown_type'
  | 'invalid_channel'
  | 'invalid_peer_id'
  | 'channel_not_authorized'
  | 'channel_reserved'
  | 'channel_limit_exceeded'
  | 'peer_not_found'
  | 'missing_data'
  | 'action_not_permitted';

export type JsonObject = Record<string, unknown>;

/** Same set the SDK rejects: U+0000–001F, U+007F, U+0080–009F. */
export function hasControlChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return true;
  }
  return false;
}

export function isValidChannel(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_CHANNEL_LENGTH && !hasControlChars(v);
}

export function isValidPeerId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_PEER_ID_LENGTH && !hasControlChars(v);
}

export function isReservedChannel(channel: string): boolean {
  return RESERVED_CHANNEL_PREFIX.test(channel);
}

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A client frame after JSON parsing: either an object with a string `type`, or the reason it is not. */
export type ParsedFrame =
  | { ok: true; type: string; frame: JsonObject; requestId: string | undefined }
  | { ok: false; requestId: string | undefined; message: string };

/**
 * Parses one inbound text frame. `requestId` is only echoed when it is a usable
 * string (non-empty, ≤128 chars); a frame whose requestId is present but unusable
 * is malformed, because the server could not correlate its answer.
 */
export function parseClientFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, requestId: undefined, message: 'invalid JSON' };
  }
  if (!isPlainObject(value)) return { ok: false, requestId: undefined, message: 'frame must be a JSON object' };
  const rid = value.requestId;
  if (rid !== undefined && (typeof rid !== 'string' || rid.length === 0 || rid.length > MAX_REQUEST_ID_LENGTH)) {
    return { ok: false, requestId: undefined, message: 'requestId must be a non-empty string of at most 128 chars' };
  }
  if (typeof value.type !== 'string') return { ok: false, requestId: rid, message: 'missing or non-string type' };
  return { ok: true, type: value.type, frame: value, requestId: rid };
}

// ---- server → client frames. Built as strings so a broadcast is serialised once. ----

const q = JSON.stringify;

export function welcomeFrame(w: {
  peerId: string;
  expiresAt: number | null;
  maxMessageSize: number;
  metadata?: JsonObject;
}): string {
  // expiresAt must be present even when null: the SDK treats an absent key as malformed.
  const frame: JsonObject = {
    type: 'welcome',
    peerId: w.peerId,
    expiresAt: w.expiresAt,
    serverTime: Date.now(), // ms since epoch (docs/protocol.md §3.2, §11)
    maxMessageSize: w.maxMessageSize,
  };
  if (w.metadata) frame.metadata = w.metadata;
  return q(frame);
}

export function ackFrame(requestId: string): string {
  return `{"type":"ack","requestId":${q(requestId)}}`;
}

export function errorFrame(code: ErrorCode, requestId: string | undefined, message: string): string {
  return q(requestId === undefined ? { type: 'error', code, message } : { type: 'error', code, requestId, message });
}

/** `dataJson` is already-serialised JSON (the size check needed it anyway). */
export function messageFrame(channel: string, from: string, dataJson: string, fromMetadataJson?: string): string {
  const meta = fromMetadataJson === undefined ? '' : `,"fromMetadata":${fromMetadataJson}`;
  return `{"type":"message","channel":${q(channel)},"from":${q(from)},"data":${dataJson}${meta}}`;
}

export function directFrame(from: string, dataJson: string): string {
  return `{"type":"direct","from":${q(from)},"data":${dataJson}}`;
}

export interface PresencePeer {
  peerId: string;
  metadata?: JsonObject;
}

/** Both `joined` and `left` are always arrays: the SDK rejects the frame otherwise. */
export function presenceFrame(channel: string, joined: PresencePeer[], left: PresencePeer[]): string {
  return q({ type: 'presence', channel, joined, left });
}

/** A snapshot from pre-serialised entries (joined = every member, left = []). */
export function presenceFrameFromJson(channel: string, joinedJson: string[]): string {
  return `{"type":"presence","channel":${q(channel)},"joined":[${joinedJson.join(',')}],"left":[]}`;
}

export function goingAwayFrame(retryAfterMs: number): string {
  return `{"type":"going_away","retryAfterMs":${retryAfterMs}}`;
}

export const PONG_FRAME = '{"type":"pong"}';
