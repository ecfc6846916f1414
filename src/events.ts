// The element's events: names, detail types, and the one function that dispatches them.
import type { MeteredCallErrorDetail } from './errors.js';
import type { QualityReason } from './call/connection-quality.js';
import type { QualityLevel, ReactionKey } from './protocol/vocabulary.js';

/** `detail` of each event `<metered-call>` fires. */
export interface MeteredCallEventDetails {
  /** This participant is in the room. */
  joined: { peerId: string; room: string };
  /** Another participant entered the room. */
  'peer-joined': { peerId: string };
  /** A participant left the room (their tile is gone). */
  'peer-left': { peerId: string };
  /** A participant told us their display name (sanitised; keyed by the server-stamped sender id). */
  introduce: { peerId: string; username: string };
  /** This participant is out of the room; everything is torn down. */
  left: Record<string, never>;
  /** A chat message, sent by us (`self: true`) or by another participant (text cleaned, at most 500 characters). */
  'chat-message': { peerId: string; username: string; text: string; self: boolean };
  /** A participant raised (`raised: true`) or lowered their hand; `self` for ours. */
  'hand-raised': { peerId: string; raised: boolean; self: boolean };
  /** A participant sent a reaction, by key from a fixed set (`emoji` is what the tile shows); `self` for ours. */
  reaction: { peerId: string; reaction: ReactionKey; emoji: string; self: boolean };
  /**
   * The quality of our connection to a participant changed, or (`self: true`, our own peer
   * id) of our upload; also when its reasons change. `reasons` is empty when good.
   */
  'quality-change': { peerId: string; quality: QualityLevel; reasons: QualityReason[]; self: boolean };
  /** Something failed. Does not bubble (like `<img>`'s `error`). */
  error: MeteredCallErrorDetail;
}

export type MeteredCallEventName = keyof MeteredCallEventDetails;
export type MeteredCallEvent<K extends MeteredCallEventName = MeteredCallEventName> = CustomEvent<MeteredCallEventDetails[K]>;

/**
 * Every event name the element fires, for contract tests and docs (test/docs compares it
 * with the element's `@fires`).
 */
export const EVENT_NAMES: readonly MeteredCallEventName[] = [
  'joined',
  'peer-joined',
  'peer-left',
  'introduce',
  'left',
  'chat-message',
  // raised hands, reactions, connection quality
  'hand-raised',
  'reaction',
  'quality-change',
  'error',
];

/**
 * Dispatches a typed event from `el`. Everything bubbles and crosses shadow roots,
 * except `error`: a bubbling `error` reaches `window.onerror`-style handlers and
 * error trackers, which would take it for a crash of the page.
 */
export function emit<K extends MeteredCallEventName>(el: EventTarget, type: K, detail: MeteredCallEventDetails[K]): boolean {
  return el.dispatchEvent(new CustomEvent(type, { bubbles: type !== 'error', composed: true, cancelable: false, detail }));
}

declare global {
  // `error` is left out on purpose: lib.dom types it as ErrorEvent and redeclaring it
  // does not compile; `MeteredCall` types it through addEventListener overloads.
  interface HTMLElementEventMap {
    joined: MeteredCallEvent<'joined'>;
    'peer-joined': MeteredCallEvent<'peer-joined'>;
    'peer-left': MeteredCallEvent<'peer-left'>;
    introduce: MeteredCallEvent<'introduce'>;
    left: MeteredCallEvent<'left'>;
    'chat-message': MeteredCallEvent<'chat-message'>;
    'hand-raised': MeteredCallEvent<'hand-raised'>;
    reaction: MeteredCallEvent<'reaction'>;
    'quality-change': MeteredCallEvent<'quality-change'>;
  }
}
