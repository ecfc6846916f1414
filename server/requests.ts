// What the server does with each client frame (docs/protocol.md §4): validate, authorise,
// act, and answer every request with exactly one ack or error echoing its requestId.
// A request without a requestId is carried out but not acked (the SDK always sends one).
import { channelAllowed, type Identity } from './auth.ts';
import { type Hub, MAX_CHANNEL_MEMBERS, type Member } from './hub.ts';
import type { Action } from './keys.ts';
import {
  type ErrorCode,
  type JsonObject,
  PONG_FRAME,
  ackFrame,
  directFrame,
  errorFrame,
  isReservedChannel,
  isValidChannel,
  isValidPeerId,
  messageFrame,
  parseClientFrame,
} from './protocol.ts';

/** A connection as the request handlers see it (implemented by Session). */
export interface Requester extends Member {
  readonly identity: Identity;
  /** Closes the connection with `code` (used for 1009 on an oversized payload). */
  kill(code: number, reason: string): void;
}

export interface RequestContext {
  hub: Hub;
  maxMessageSize: number;
}

export function handleText(s: Requester, text: string, ctx: RequestContext): void {
  const parsed = parseClientFrame(text);
  if (!parsed.ok) {
    s.send(errorFrame('malformed_message', parsed.requestId, parsed.message));
    return;
  }
  const { frame, requestId } = parsed;
  switch (parsed.type) {
    case 'ping':
      s.send(PONG_FRAME);
      return;
    case 'subscribe':
      subscribe(s, frame, requestId, ctx);
      return;
    case 'unsubscribe':
      unsubscribe(s, frame, requestId, ctx);
      return;
    case 'publish':
      publish(s, frame, requestId, ctx);
      return;
    case 'send':
      send(s, frame, requestId, ctx);
      return;
    default:
      s.send(errorFrame('unknown_type', requestId, `unknown type "${parsed.type.slice(0, 64)}"`));
  }
}

function reject(s: Requester, code: ErrorCode, requestId: string | undefined, message: string): false {
  s.send(errorFrame(code, requestId, message));
  return false;
}

function ack(s: Requester, requestId: string | undefined, yieldAfter = false): void {
  if (requestId !== undefined) s.send(ackFrame(requestId), yieldAfter);
}

/** The checks shared by subscribe and publish, in the order a client can fix them. */
function channelUsable(s: Requester, channel: unknown, requestId: string | undefined, action: Action): channel is string {
  if (!isValidChannel(channel)) return reject(s, 'invalid_channel', requestId, 'channel must be 1-256 chars without control characters');
  if (isReservedChannel(channel)) return reject(s, 'channel_reserved', requestId, 'channel prefix is reserved');
  if (!s.identity.actions.has(action)) return reject(s, 'action_not_permitted', requestId, `${action} is not enabled for this key`);
  if (!channelAllowed(s.identity, channel)) return reject(s, 'channel_not_authorized', requestId, 'channel not allowed for this key');
  return true;
}

/**
 * Serialises `data` and enforces maxMessageSize on it (the SDK measures the same thing:
 * the UTF-8 length of JSON.stringify(data)). Over the cap closes with 1009, as Metered does.
 */
function payload(s: Requester, frame: JsonObject, requestId: string | undefined, ctx: RequestContext): string | null {
  if (!('data' in frame)) {
    reject(s, 'missing_data', requestId, 'data is required');
    return null;
  }
  let json: string;
  try {
    json = JSON.stringify(frame.data);
  } catch {
    // JSON.parse accepts nesting that JSON.stringify cannot walk back (stack overflow).
    reject(s, 'malformed_message', requestId, 'data is nested too deeply');
    return null;
  }
  const max = ctx.maxMessageSize;
  if (json.length > max || (json.length * 3 > max && Buffer.byteLength(json) > max)) {
    s.kill(1009, 'message too big');
    return null;
  }
  return json;
}

function subscribe(s: Requester, frame: JsonObject, requestId: string | undefined, ctx: RequestContext): void {
  const channel = frame.channel;
  if (!channelUsable(s, channel, requestId, 'subscribe')) return;
  if (!ctx.hub.isMember(s, channel)) {
    if (s.subscriptions.size >= s.identity.key.limits.maxSubscriptions) {
      reject(s, 'channel_limit_exceeded', requestId, 'too many subscriptions on this connection');
      return;
    }
    if (ctx.hub.memberCount(s.app, channel) >= MAX_CHANNEL_MEMBERS) {
      reject(s, 'channel_limit_exceeded', requestId, `channel is full (${MAX_CHANNEL_MEMBERS} members)`);
      return;
    }
  }
  // join() tells the others first; then ack; then the snapshot on a later turn (docs/protocol.md §4).
  const snapshot = ctx.hub.join(s, channel, frame.includeSenderMetadata === true);
  ack(s, requestId, snapshot !== null);
  if (snapshot !== null) s.send(snapshot);
}

function unsubscribe(s: Requester, frame: JsonObject, requestId: string | undefined, ctx: RequestContext): void {
  const channel = frame.channel;
  if (!isValidChannel(channel)) {
    reject(s, 'invalid_channel', requestId, 'channel must be 1-256 chars without control characters');
    return;
  }
  ack(s, requestId); // idempotent: leaving a channel one is not in is still acked
  ctx.hub.leave(s, channel);
}

function publish(s: Requester, frame: JsonObject, requestId: string | undefined, ctx: RequestContext): void {
  const channel = frame.channel;
  if (!channelUsable(s, channel, requestId, 'publish')) return;
  const data = payload(s, frame, requestId, ctx);
  if (data === null) return;
  // Publishing does not require a subscription (docs/protocol.md §11; the SDK never relies on either).
  const members = ctx.hub.members(s.app, channel);
  if (members) {
    const plain = messageFrame(channel, s.peerId, data);
    const meta = s.identity.peerMetadataJson;
    const withMeta = meta === undefined ? plain : messageFrame(channel, s.peerId, data, meta);
    // No echo to the sender (docs/protocol.md §11; the SDK filters echoes anyway).
    for (const m of members.values()) if (m !== s) m.send(m.subscriptions.get(channel) === true ? withMeta : plain, false, s);
  }
  ack(s, requestId);
}

function send(s: Requester, frame: JsonObject, requestId: string | undefined, ctx: RequestContext): void {
  if (!isValidPeerId(frame.to)) {
    reject(s, 'invalid_peer_id', requestId, 'to must be 1-128 chars without control characters');
    return;
  }
  if (!s.identity.actions.has('send')) {
    reject(s, 'action_not_permitted', requestId, 'send is not enabled for this key');
    return;
  }
  const data = payload(s, frame, requestId, ctx);
  if (data === null) return;
  // Any connected peer can be addressed, shared channel or not (docs/protocol.md §4.4, §11); ids are unguessable UUIDs
  // for pk keys. `direct` never carries fromMetadata (local choice: includeSenderMetadata is per channel).
  // Only peers of the sender's own app exist for it (docs/security.md: isolation between apps).
  const target = ctx.hub.peer(s.app, frame.to);
  if (!target) {
    reject(s, 'peer_not_found', requestId, 'no connected peer with that id');
    return;
  }
  target.send(directFrame(s.peerId, data), false, s);
  ctx.hub.latePresence?.delivered(s.peerId, target, frame.data);
  ack(s, requestId);
}
