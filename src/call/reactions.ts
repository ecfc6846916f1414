// Reactions shown briefly on the sender's tile. Each one puts something on screen and is
// announced, so beyond the session's per-sender limit each sender gets a stricter one
// here, and we send slower than others accept (a well-behaved sender is never dropped).
// One timer, for the earliest expiry, tells the host to re-render when one is gone.
import { reactionMessage, type ReactionKey, type ReactionMessage } from '../protocol/interaction-messages.js';
import { SenderRateLimit } from '../protocol/messages.js';

/** How long a reaction stays on a tile. */
export const REACTION_SHOWN_MS = 4000;

export interface ShownReaction {
  reaction: ReactionKey;
  /** When it leaves the tile (ms since the epoch). */
  until: number;
}

export class Reactions {
  private readonly shown = new Map<string, ShownReaction>();
  // receivers: 4 at once, then 1 a second; we send 3 at once, then 1 every 2 s
  private readonly incoming = new SenderRateLimit(4, 1);
  private readonly outgoing = new SenderRateLimit(3, 0.5);
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    /** Called when a reaction leaves a tile (re-render). */
    private readonly onExpired: () => void,
    private readonly shownMs = REACTION_SHOWN_MS,
    private readonly maxShown = 256,
  ) {}

  /** A validated reaction from `peerId` (or from us, `self`); what to show, or `null` when that sender is over its limit. */
  receive(peerId: string, reaction: ReactionKey, now = Date.now()): ShownReaction | null {
    if (!this.incoming.allow(peerId, now)) return null;
    if (!this.shown.has(peerId) && this.shown.size >= this.maxShown) return null;
    const entry = { reaction, until: now + this.shownMs };
    this.shown.delete(peerId); // re-insert: Map order stays the expiry order
    this.shown.set(peerId, entry);
    this.schedule(now);
    return entry;
  }

  /** The reaction on `peerId`'s tile now, if any. */
  showing(peerId: string, now = Date.now()): ReactionKey | null {
    const entry = this.shown.get(peerId);
    return entry && entry.until > now ? entry.reaction : null;
  }

  /** Our reaction: the message to broadcast, or `null` when we are sending too fast (the button may say so). */
  send(reaction: ReactionKey, now = Date.now()): ReactionMessage | null {
    return this.outgoing.allow('self', now) ? reactionMessage(reaction) : null;
  }

  forget(peerId: string): void {
    this.shown.delete(peerId);
    this.incoming.forget(peerId);
  }

  /** The call ended: nothing shown, no timer left. */
  clear(): void {
    this.shown.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(now: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const next = this.shown.values().next().value;
    if (!next) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, next.until - now));
  }

  private expire(now = Date.now()): void {
    let removed = false;
    for (const [peerId, entry] of this.shown) {
      if (entry.until > now) break;
      this.shown.delete(peerId);
      removed = true;
    }
    this.schedule(now);
    if (removed) this.onExpired();
  }
}
