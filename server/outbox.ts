// Ordered, bounded output for one connection.
//
// Two jobs: (1) the subscribe ordering rule — the presence snapshot must reach the
// client on a later event-loop turn than the ack (docs/protocol.md §4.1), so a frame can be
// marked "yield after me" and everything queued behind it waits for a timer; frames
// keep their order across that pause, so per-recipient order always holds. (2) bounded
// memory — if the socket's unsent bytes plus the queue pass `capBytes` the client is
// not reading, and the owner closes it (1008) instead of buffering without limit.
// (3) fairness — frames another connection caused (its publish, its direct) are counted
// per sender until the socket has taken them; when the cap is passed and one sender owns
// more than half of the backlog, that sender is the problem, not this reader: the owner
// is told to close the sender instead, and this connection stays. A flooder therefore
// cannot get a slow co-member disconnected; a reader that falls behind everyone still is.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { MAX_SERVER_FRAME_BYTES } from './protocol.ts';

interface Item<S> {
  text: string;
  yieldAfter: boolean;
  from: S | undefined;
}

export class Outbox<S extends object = object> {
  private queue: Item<S>[] = [];
  /** Bytes each sender has queued here that the socket has not taken yet. */
  private readonly pendingBySender = new Map<S, number>();
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private stopped = false;
  private corked = false;

  constructor(
    private readonly ws: WebSocket,
    /** The TCP socket under `ws`, corked per tick so a burst of frames leaves in one write. */
    private readonly socket: Duplex,
    private readonly capBytes: number,
    /** The cap was passed: `flooder` owns most of the backlog (close it), or null (close this connection). */
    private readonly onOverflow: (flooder: S | null) => void,
    private readonly onWrite: (text: string) => void,
    private readonly onOversize: (text: string) => void,
  ) {}

  /** Queue or write `text`; with `yieldAfter`, later frames go out on a later turn; `from`: the connection that caused it. */
  send(text: string, yieldAfter = false, from?: S): void {
    if (this.stopped) return;
    // Never emit a frame the SDK would refuse (it closes with 1009 above 1 MiB). The caps on
    // maxMessageSize, channel size and peer metadata make this unreachable; it guards against a bug.
    if (text.length * 3 > MAX_SERVER_FRAME_BYTES && Buffer.byteLength(text) > MAX_SERVER_FRAME_BYTES) {
      this.onOversize(text);
      return;
    }
    if (from !== undefined) this.pendingBySender.set(from, (this.pendingBySender.get(from) ?? 0) + text.length);
    if (!this.waiting() && this.queue.length === 0) {
      this.write(text, from);
      if (yieldAfter) this.schedule();
      return;
    }
    this.queue.push({ text, yieldAfter, from });
    this.queuedBytes += text.length;
    this.checkCap();
  }

  /** Writes everything still queued, ignoring turn barriers (used right before closing). */
  drain(): void {
    this.cancel();
    const items = this.queue;
    this.queue = [];
    this.queuedBytes = 0;
    for (const item of items) if (!this.stopped) this.write(item.text, item.from);
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
    this.queue = [];
    this.queuedBytes = 0;
    this.pendingBySender.clear();
  }

  private waiting(): boolean {
    return this.timer !== null || this.immediate !== null;
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  // "A later turn" (docs/protocol.md §4.1): at least 1 ms (setTimeout 0) so a client in another
  // process reads the ack alone, then setImmediate so at least one poll phase of this loop
  // runs in between — a client in this same process (tests, benchmarks) then reads the ack
  // before the snapshot is written, however long the loop was busy. Either alone can let
  // both frames land in one TCP read, which a Node `ws` client dispatches in one tick.
  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.immediate = setImmediate(this.flush);
    }, 0);
  }

  private readonly flush = (): void => {
    this.immediate = null;
    while (this.queue.length > 0 && !this.stopped) {
      const item = this.queue.shift() as Item<S>;
      this.queuedBytes -= item.text.length;
      this.write(item.text, item.from);
      if (item.yieldAfter) {
        this.schedule();
        return;
      }
    }
  };

  private write(text: string, from: S | undefined): void {
    if (this.ws.readyState !== this.ws.OPEN) return this.settle(from, text.length);
    this.onWrite(text);
    // Without this every frame costs its own writev syscall, which dominates fan-out CPU.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    // the callback runs once the socket has taken the frame (or failed to): the sender's share ends
    if (from === undefined) this.ws.send(text);
    else this.ws.send(text, () => this.settle(from, text.length));
    this.checkCap();
  }

  private settle(from: S | undefined, bytes: number): void {
    if (from === undefined) return;
    const left = (this.pendingBySender.get(from) ?? 0) - bytes;
    if (left > 0) this.pendingBySender.set(from, left);
    else this.pendingBySender.delete(from);
  }

  /** The sender owning more than half of `total` bytes of backlog, if one does. */
  private dominantSender(total: number): S | null {
    for (const [sender, bytes] of this.pendingBySender) if (bytes * 2 > total) return sender;
    return null;
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private checkCap(): void {
    if (this.stopped) return;
    const total = this.ws.bufferedAmount + this.queuedBytes;
    if (total <= this.capBytes) return;
    const flooder = this.dominantSender(total);
    if (flooder !== null) return this.onOverflow(flooder); // the flooder goes; its bytes already here drain
    this.stop();
    this.onOverflow(null);
  }
}
