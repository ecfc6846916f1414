// What a participant shows: `{ type: "view", hidden: [peerId…] }` lists the participants
// whose tile the sender does not show now (a tile outside the speaker layout's strip, or
// every tile while its tab is hidden). Whoever finds its own id in the list may stop
// sending video to the sender until a later `view` leaves it out; a page that ignores
// the message (the plain SDK page) simply keeps receiving video. A broadcast like the
// others (`peer.send`), parsed by parsePeerMessage's schema (messages.ts) and rate-limited
// on both sides: receivers through the session's per-sender limit, senders by ViewSender.
import { parsePeerMessage, type PeerMessage } from './messages.js';
import { MAX_VIEW_IDS } from './view-limits.js';

export type ViewMessage = Extract<PeerMessage, { type: 'view' }>;

/** The message for `hidden` (sorted, at most MAX_VIEW_IDS ids). */
export function viewMessage(hidden: Iterable<string>): ViewMessage {
  return { type: 'view', hidden: [...new Set(hidden)].sort().slice(0, MAX_VIEW_IDS) };
}

/** Parses a `view` payload; `null` for anything else or anything malformed. */
export function parseViewMessage(data: unknown): ViewMessage | null {
  const message = parsePeerMessage(data);
  return message?.type === 'view' ? message : null;
}

/** Fewest milliseconds between two `view` messages we send. */
export const VIEW_MIN_INTERVAL_MS = 1000;

/**
 * Sends our view when it changes, at most once per `minIntervalMs`: changes in between
 * are folded into one message sent when the interval is over (the latest view wins).
 */
export class ViewSender {
  private sent = '';
  private pending: string[] | null = null;
  private lastAt = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (message: ViewMessage) => void,
    private readonly minIntervalMs = VIEW_MIN_INTERVAL_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The peers whose tile we do not show now. */
  update(hidden: Iterable<string>): void {
    const list = viewMessage(hidden).hidden;
    this.pending = list;
    if (this.timer) return;
    const wait = this.lastAt + this.minIntervalMs - this.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Sends the current view again even if unchanged (a newcomer has not heard it). */
  repeat(): void {
    if (this.sent) {
      const list = JSON.parse(this.sent) as string[];
      this.sent = '';
      this.update(list);
    }
  }

  /** Forgets everything (the call ended); nothing is sent after this. */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = null;
    this.sent = '';
    this.lastAt = -Infinity;
  }

  private flush(): void {
    const list = this.pending;
    this.pending = null;
    if (!list) return;
    const key = JSON.stringify(list);
    // nothing hidden and nothing said yet: the default already means "shown"
    if (key === this.sent || (!this.sent && list.length === 0)) return;
    this.sent = key;
    this.lastAt = this.now();
    this.send({ type: 'view', hidden: list });
  }
}
