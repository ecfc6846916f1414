// Bounds of the `view` message (view-messages.ts), apart so that messages.ts can name them
// without importing the message's helpers.

/** A peer id as the server assigns it (a UUID) or a token sets it: letters, digits and `_.:-`. */
export const PEER_ID = /^[\w.:-]+$/;
export const MAX_PEER_ID_CHARS = 128;
/** More ids than any room holds (max-peers is far below): a longer list is refused whole. */
export const MAX_VIEW_IDS = 64;
