// Who has a hand up, in the order we learned it, and our own hand. A hand is state, not
// an event: every change is applied (the session already limits each sender's messages),
// the latest message wins, and a newcomer hears our hand again (`forNewcomer`). Only the
// announcement of a change is limited per sender, so a peer toggling its hand cannot
// flood a screen reader. The queue order is our clock's, never a time the sender claims.
import { handMessage, type HandMessage } from '../protocol/interaction-messages.js';
import { SenderRateLimit } from '../protocol/messages.js';

export interface HandChange {
  raised: boolean;
  /** `false` when this sender's changes come too fast to be worth announcing. */
  announce: boolean;
}

export class RaisedHands {
  /** Our own hand. */
  mine = false;
  /** peerId → when we learned the hand went up (Map order is the queue order). */
  private readonly raisedAt = new Map<string, number>();
  private readonly announcements = new SenderRateLimit(3, 0.5);

  constructor(private readonly maxHands = 256) {}

  /** A validated `hand` message from `peerId`; the change, or `null` if it changes nothing. */
  receive(peerId: string, raised: boolean, now = Date.now()): HandChange | null {
    if (raised === this.raisedAt.has(peerId)) return null;
    if (raised) {
      if (this.raisedAt.size >= this.maxHands) return null;
      this.raisedAt.set(peerId, now);
    } else this.raisedAt.delete(peerId);
    return { raised, announce: this.announcements.allow(peerId, now) };
  }

  isRaised(peerId: string): boolean {
    return this.raisedAt.has(peerId);
  }

  /** Everyone with a hand up, first raised first. */
  queue(): string[] {
    return [...this.raisedAt.keys()];
  }

  /** The participant left: their hand goes with them. `true` if it was up. */
  forget(peerId: string): boolean {
    this.announcements.forget(peerId);
    return this.raisedAt.delete(peerId);
  }

  /** Our hand up or down: the message to broadcast, or `null` if it was already so. */
  setMine(raised: boolean): HandMessage | null {
    if (raised === this.mine) return null;
    this.mine = raised;
    return handMessage(raised);
  }

  /** What a newcomer must hear: our hand, if it is up (down is what they assume). */
  forNewcomer(): HandMessage | null {
    return this.mine ? handMessage(true) : null;
  }

  /** The call ended. */
  clear(): void {
    this.mine = false;
    this.raisedAt.clear();
  }
}
