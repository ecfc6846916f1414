// Ordered, bounded output for one connection.
//
// Two jobs: (1) the subscribe ordering rule — the presence snapshot must reach the
// client on a later event-loop turn than the ack (docs/protocol.md §4.1), so a frame can be
// marked "yield after me" and everything queued behind it waits for a timer; frames
// keep their order across that pause, so per-recipient order always holds. (2) bounded
// memory — if the socket's unsent bytes plus the queue pass `capBytes` the client is
// not reading, and the owner closes it (1008) instead of buffering without limit.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { MAX_SERVER_FRAME_BYTES } from './protocol.ts';

interface Item {
  text: string;
  yieldAfter: boolean;
}

export class Outbox {
  private queue: Item[] = [];
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
    private readonly onOverflow: () => void,
    private readonly onWrite: (text: string) => void,
    private readonly onOversize: (text: string) => void,
  ) {}

  /** Queue or write `text`; with `yieldAfter`, later frames go out on a later turn. */
  send(text: string, yieldAfter = false): void {
    if (this.stopped) return;
    // Never emit a frame the SDK would refuse (it closes with 1009 above 1 MiB). The caps on
    // maxMessageSize, channel size and peer metadata make this unreachable; it guards against a bug.
    if (text.length * 3 > MAX_SERVER_FRAME_BYTES && Buffer.byteLength(text) > MAX_SERVER_FRAME_BYTES) {
      this.onOversize(text);
      return;
    }
    if (!this.waiting() && this.queue.length === 0) {
      this.write(text);
      if (yieldAfter) this.schedule();
      return;
    }
    this.queue.push({ text, yieldAfter });
    this.queuedBytes += text.length;
    this.checkCap();
  }

  /** Writes everything still queued, ignoring turn barriers (used right before closing). */
  drain(): void {
    this.cancel();
    const items = this.queue;
    this.queue = [];
    for (const item of items) if (!this.stopped) this.write(item.text);
    this.queuedBytes = 0;
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
    this.queue = [];
    this.queuedBytes = 0;
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
      const item = this.queue.shift() as Item;
      this.queuedBytes -= item.text.length;
      this.write(item.text);
      if (item.yieldAfter) {
        this.schedule();
        return;
      }
    }
  };

  private write(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.onWrite(text);
    // Without this every frame costs its own writev syscall, which dominates fan-out CPU.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(this.uncork);
    }
    this.ws.send(text);
    this.checkCap();
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.socket.uncork();
  };

  private checkCap(): void {
    if (!this.stopped && this.ws.bufferedAmount + this.queuedBytes > this.capBytes) {
      this.stop();
      this.onOverflow();
    }
  }
}
