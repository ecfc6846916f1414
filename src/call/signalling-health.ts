// Watches the signalling sockets the SDK opens, through its documented `webSocketFactory`
// option (the socket itself is the browser's own WebSocket, untouched):
//
// - counts connection attempts (diagnostics and tests);
// - reads the room's presence snapshot — the first `presence` frame for the room on each
//   socket, which the server sends right after the subscribe ack and which lists every
//   member (docs/protocol.md §4.1) — so the element knows how full the room is before it
//   shows anyone (`max-peers`);
// - stops the SDK's reconnect ladder where it would only hammer the server: the SDK
//   retries every close except 4001/4003/4012/4020, but a 4011 (message rate) comes back
//   after every reconnect, and a 4002 on a socket that never got a welcome means the
//   fresh token was already expired — it would be refused again on every attempt.
import { MeteredCallError } from '../errors.js';

export interface SignallingHealthOptions {
  /** The room (channel) we join; the snapshot is the first presence frame for it on a socket. */
  room: string;
  /** Called with a close the element must treat as the end of the call (teardown is the caller's). */
  onTerminal: (error: MeteredCallError) => void;
  /** The join's snapshot, synchronously, before the SDK sees the frame. */
  onSnapshot?: (snapshot: RoomSnapshot) => void;
  /** Makes the real socket; default `new WebSocket(url)`. */
  create?: (url: string) => WebSocket;
}

/** What the room looked like when we (re)subscribed: every member but us. */
export interface RoomSnapshot {
  self: string | null;
  others: string[];
}

interface SocketInfo {
  peerId: string | null;
  welcomed: boolean;
  snapshotSeen: boolean;
}

/** Longest frame we look into (a snapshot of 256 members is far smaller than the SDK's 1 MiB cap). */
const MAX_INSPECTED_CHARS = 1 << 20;

export class SignallingHealth {
  /** Sockets opened so far (the first connect and every reconnect attempt). */
  attempts = 0;
  /** The first snapshot of the room (the join's), once it arrived. */
  snapshot: RoomSnapshot | null = null;
  private stopped = false;
  private readonly waiters: Array<(s: RoomSnapshot | null) => void> = [];

  constructor(private readonly options: SignallingHealthOptions) {}

  /** For the SDK's `webSocketFactory` option. */
  readonly factory = (url: string): WebSocket => {
    const ws = this.options.create ? this.options.create(url) : new WebSocket(url);
    this.attempts++;
    const info: SocketInfo = { peerId: null, welcomed: false, snapshotSeen: false };
    // Registered before the SDK's own listeners (it adds them after the factory returns),
    // so a snapshot is known before the SDK turns it into peer-joined events.
    ws.addEventListener('message', event => this.onFrame(info, event.data));
    ws.addEventListener('close', event => this.onClose(info, event.code));
    return ws;
  };

  /** Resolves with the join's snapshot, or `null` if none came within `timeoutMs`. */
  waitForSnapshot(timeoutMs: number): Promise<RoomSnapshot | null> {
    if (this.snapshot || this.stopped) return Promise.resolve(this.snapshot);
    return new Promise(resolve => {
      const timer = setTimeout(() => done(null), timeoutMs);
      const done = (s: RoomSnapshot | null) => {
        clearTimeout(timer);
        const i = this.waiters.indexOf(done);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(s);
      };
      this.waiters.push(done);
    });
  }

  /** No more terminal decisions (our own close, or the call is over). */
  stop(): void {
    this.stopped = true;
    for (const w of [...this.waiters]) w(null);
  }

  private onFrame(info: SocketInfo, data: unknown): void {
    if (this.stopped || typeof data !== 'string' || data.length > MAX_INSPECTED_CHARS) return;
    // only two frame types matter here; skip the JSON parse for everything else
    const isWelcome = !info.welcomed && data.includes('"welcome"');
    const isPresence = !info.snapshotSeen && data.includes('"presence"');
    if (!isWelcome && !isPresence) return;
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const f = frame as { type?: unknown; peerId?: unknown; channel?: unknown; joined?: unknown };
    if (f.type === 'welcome') {
      info.welcomed = true;
      info.peerId = typeof f.peerId === 'string' ? f.peerId : null;
    } else if (f.type === 'presence' && f.channel === this.options.room && Array.isArray(f.joined)) {
      info.snapshotSeen = true;
      if (this.snapshot) return; // a reconnect's snapshot: the SDK reconciles it; not a join
      const others: string[] = [];
      for (const entry of f.joined as unknown[]) {
        const id = (entry as { peerId?: unknown } | null)?.peerId;
        if (typeof id === 'string' && id !== info.peerId && !others.includes(id)) others.push(id);
      }
      const snapshot: RoomSnapshot = { self: info.peerId, others };
      this.snapshot = snapshot;
      this.options.onSnapshot?.(snapshot);
      // waiters resume after the SDK has handled this frame too (its listener runs next):
      // the join goes on with the room's members known, as without this watcher
      setTimeout(() => {
        for (const w of [...this.waiters]) w(snapshot);
      }, 0);
    }
  }

  private onClose(info: SocketInfo, code: number): void {
    if (this.stopped) return;
    let error: MeteredCallError | null = null;
    if (code === 4011) {
      error = new MeteredCallError('rate-limited', { detail: 'close code 4011' }, { fatal: true });
    } else if (code === 4002 && !info.welcomed) {
      // refused at connect: the token the provider just gave us had already expired
      error = new MeteredCallError('token-expired', { detail: 'close code 4002 on connect: the new token was already expired' });
    }
    if (!error) return;
    this.stopped = true;
    // After the SDK's own close listener has run (it schedules a reconnect, which the
    // caller's teardown cancels with peer.close() long before the first retry is due).
    setTimeout(() => this.options.onTerminal(error), 0);
  }
}
