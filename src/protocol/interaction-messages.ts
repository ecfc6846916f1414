// Raised hands, reactions and self-reported connection quality, beside messages.ts and
// under the same rules: what others send is hostile until parsed there (one schema per
// type; unknown reaction keys, wrong types and spoofed sender fields are refused or never
// read), and the sender is always the server-stamped `senderPeerId`. All three travel as
// channel broadcasts (`peer.send`); a page that does not know them (the plain SDK page)
// ignores them, and an element drops types it does not know before reading them.
//
//   { type: "hand", raised: boolean }                        sent on change, repeated to newcomers
//   { type: "reaction", reaction: "clap" }                   one of REACTION_KEYS, shown briefly
//   { type: "quality", level: "good" | "fair" | "poor" }     our upload quality, on change and to newcomers
import { parsePeerMessage, type PeerMessage } from './messages.js';
import { REACTION_KEYS, type QualityLevel, type ReactionKey } from './vocabulary.js';

export { QUALITY_LEVELS, REACTION_KEYS, type QualityLevel, type ReactionKey } from './vocabulary.js';

export type HandMessage = Extract<PeerMessage, { type: 'hand' }>;
export type ReactionMessage = Extract<PeerMessage, { type: 'reaction' }>;
export type QualityMessage = Extract<PeerMessage, { type: 'quality' }>;
export type InteractionMessage = HandMessage | ReactionMessage | QualityMessage;

/** What each reaction key shows (escapes: the shipped files stay ASCII). */
export const REACTION_EMOJI: Readonly<Record<ReactionKey, string>> = {
  'thumbs-up': '\u{1F44D}',
  clap: '\u{1F44F}',
  laugh: '\u{1F602}',
  heart: '\u2764\uFE0F',
  surprised: '\u{1F62E}',
  party: '\u{1F389}',
};

export const isReactionKey = (value: unknown): value is ReactionKey => (REACTION_KEYS as readonly unknown[]).includes(value);

export const handMessage = (raised: boolean): HandMessage => ({ type: 'hand', raised });
export const reactionMessage = (reaction: ReactionKey): ReactionMessage => ({ type: 'reaction', reaction });
export const qualityMessage = (level: QualityLevel): QualityMessage => ({ type: 'quality', level });

/** Parses a `hand`, `reaction` or `quality` payload; `null` for anything else or anything malformed. */
export function parseInteractionMessage(data: unknown): InteractionMessage | null {
  const message = parsePeerMessage(data);
  return message?.type === 'hand' || message?.type === 'reaction' || message?.type === 'quality' ? message : null;
}
