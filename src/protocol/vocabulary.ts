// The fixed words some peer messages may carry (messages.ts checks them): a peer names a
// reaction or a quality level by key, never sends the text we show for it.

/** The reactions a participant may send, by key; the glyphs are in interaction-messages.ts. */
export const REACTION_KEYS = ['thumbs-up', 'clap', 'laugh', 'heart', 'surprised', 'party'] as const;
export type ReactionKey = (typeof REACTION_KEYS)[number];

/** Connection quality, best first (call/connection-quality.ts measures it). */
export const QUALITY_LEVELS = ['good', 'fair', 'poor'] as const;
export type QualityLevel = (typeof QUALITY_LEVELS)[number];
