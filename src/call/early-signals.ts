// Signals that arrive before presence are kept, not lost.
//
// SDK 1.2.0 drops a direct message (an SDP description, an ICE candidate, track metadata)
// from a peer its presence view does not know yet. Our local server always announces a
// newcomer before routing its messages, but nothing in the protocol promises that order
// (docs/protocol.md), and a lost offer leaves the connection waiting for ever.
//
// On each signalling socket (through the SDK's `webSocketFactory`, registered before the
// SDK's own listener) this watches the presence frames of our room and holds back every
// `direct` frame from a sender presence has not announced: per sender, in order, bounded,
// expiring. When a presence frame announces the sender, that frame is handed to the SDK
// first and the held frames right after it, in order, before anything else.
export interface EarlySignalsOptions {
  room: string;
  /** Frames held per sender, at most (older ones are dropped first). */
  perSender?: number;
  /** Senders held at once, at most. */
  senders?: number;
  /** A held frame older than this is dropped. */
  maxAgeMs?: number;
  now?: () => number;
  /** Called once per frame held back. */
  onHeld?: (from: string) => void;
  /** A direct frame's payload from a known sender, just before the SDK handles it. */
  onDirect?: (from: string, data: unknown) => void;
}

interface Held {
  at: number;
  data: string;
}

/** Longest frame we look into (the SDK's own cap is 1 MiB). */
const MAX_INSPECTED_CHARS = 1 << 20;

export class EarlySignals {
  /** Frames held back so far (all sockets). */
  held = 0;
  /** Frames replayed after their sender's presence. */
  replayed = 0;

  constructor(private readonly options: EarlySignalsOptions) {}

  /** Watches one socket; call before the SDK adds its listeners. */
  attach(ws: EventTarget): void {
    const known = new Set<string>();
    const waiting = new Map<string, Held[]>();
    const replays = new WeakSet<Event>();
    const now = this.options.now ?? Date.now;
    const perSender = this.options.perSender ?? 64;
    const maxSenders = this.options.senders ?? 64;
    const maxAge = this.options.maxAgeMs ?? 30_000;

    const deliver = (data: string) => {
      const event = new MessageEvent('message', { data });
      replays.add(event);
      ws.dispatchEvent(event);
    };

    ws.addEventListener('message', event => {
      if (replays.has(event)) return;
      const data: unknown = (event as MessageEvent).data;
      if (typeof data !== 'string' || data.length > MAX_INSPECTED_CHARS) return;
      const isDirect = data.includes('"direct"');
      const isPresence = data.includes('"presence"');
      const isWelcome = data.includes('"welcome"');
      if (!isDirect && !isPresence && !isWelcome) return;
      let frame: { type?: unknown; from?: unknown; data?: unknown; channel?: unknown; joined?: unknown; left?: unknown; peerId?: unknown };
      try {
        frame = JSON.parse(data);
      } catch {
        return;
      }
      if (typeof frame !== 'object' || frame === null) return;
      if (frame.type === 'welcome') {
        // a (re)connected socket: the room's snapshot follows and tells us who is there
        known.clear();
        if (typeof frame.peerId === 'string') known.add(frame.peerId);
        return;
      }
      if (frame.type === 'direct' && typeof frame.from === 'string') {
        if (known.has(frame.from)) return this.options.onDirect?.(frame.from, frame.data);
        const queue = waiting.get(frame.from) ?? [];
        if (!waiting.has(frame.from)) {
          if (waiting.size >= maxSenders) return; // beyond the bound: let the SDK drop it
          waiting.set(frame.from, queue);
        }
        event.stopImmediatePropagation();
        queue.push({ at: now(), data });
        if (queue.length > perSender) queue.shift();
        this.held++;
        this.options.onHeld?.(frame.from);
        return;
      }
      if (frame.type !== 'presence' || frame.channel !== this.options.room) return;
      for (const p of Array.isArray(frame.left) ? frame.left : []) {
        const id = (p as { peerId?: unknown } | null)?.peerId;
        if (typeof id === 'string') {
          known.delete(id);
          waiting.delete(id);
        }
      }
      const announced: string[] = [];
      for (const p of Array.isArray(frame.joined) ? frame.joined : []) {
        const id = (p as { peerId?: unknown } | null)?.peerId;
        if (typeof id !== 'string') continue;
        known.add(id);
        if (waiting.has(id)) announced.push(id);
      }
      if (announced.length === 0) return;
      // the SDK must see the presence first, then the held frames: replay both, in order
      event.stopImmediatePropagation();
      deliver(data);
      const cutoff = now() - maxAge;
      for (const id of announced) {
        const queue = waiting.get(id)!;
        waiting.delete(id);
        for (const h of queue) {
          if (h.at < cutoff) continue;
          this.replayed++;
          deliver(h.data);
        }
      }
    });
  }
}
