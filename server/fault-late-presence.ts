// Fault mode (opt-in: `faultLatePresence` / `--fault-late-presence`): a newcomer's direct
// messages reach the members already in the room BEFORE the presence frame that announces
// the newcomer. Metered's cloud gives no ordering promise between the two (docs/protocol.md);
// our server normally announces first. With this on, the `joined` delta for a newcomer is
// held per recipient and sent right after the newcomer's first SDP description to that
// recipient (so its offer, and anything before it, arrives from an unknown sender), or after
// `maxHoldMs` if it sends none. A `left` for the newcomer releases its held `joined` first.
import type { Member } from './hub.ts';

interface Pending {
  recipient: Member;
  frame: string;
  timer: NodeJS.Timeout;
}

export class LatePresence {
  /** `recipient peer id` + ' ' + `newcomer peer id` → the held presence frame. */
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly maxHoldMs = 2000) {}

  /** Holds the `joined` frame announcing `newcomer` to `recipient`. */
  hold(recipient: Member, newcomer: string, frame: string): void {
    const key = `${recipient.peerId} ${newcomer}`;
    const timer = setTimeout(() => this.release(key), this.maxHoldMs).unref();
    this.pending.set(key, { recipient, frame, timer });
  }

  /** After a direct from `from` to `to` went out: announce `from` now if it sent its description. */
  delivered(from: string, to: Member, data: unknown): void {
    if ((data as { type?: unknown } | null)?.type === 'rtc-description') this.release(`${to.peerId} ${from}`);
  }

  /** `newcomer` is leaving: its held announcements go out first, so `left` follows `joined`. */
  releaseAll(newcomer: string): void {
    for (const key of [...this.pending.keys()]) if (key.endsWith(` ${newcomer}`)) this.release(key);
  }

  private release(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    clearTimeout(p.timer);
    p.recipient.send(p.frame);
  }
}
