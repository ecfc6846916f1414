// One accepted, authenticated WebSocket: its welcome, inbound rate limit, liveness
// flag, token expiry, and how it ends. Everything it sends goes through its Outbox.
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Identity } from './auth.ts';
import type { Logger } from './log.ts';
import { Outbox } from './outbox.ts';
import { type PresencePeer, goingAwayFrame, welcomeFrame } from './protocol.ts';
import { TokenBucket } from './rate-limit.ts';
import type { Member } from './hub.ts';
import { type RequestContext, type Requester, handleText } from './requests.ts';

export interface SessionContext extends RequestContext {
  log: Logger;
  maxBufferedBytes: number;
  onEnded(session: Session, code: number, reason: string): void;
}

/** After a server-initiated close, how long a silent client may hold the socket. */
const CLOSE_GRACE_MS = 2000;
/** setTimeout's ceiling; token expiries further out are re-checked at this distance. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Session implements Requester {
  readonly peerId: string;
  readonly keyId: string;
  readonly app: string;
  readonly presenceEntry: PresencePeer;
  readonly presenceJson: string;
  readonly wantsPresence: boolean;
  readonly subscriptions = new Map<string, boolean>();
  /** Cleared by each WS ping round, set by any pong or frame; still false at the next round = dead. */
  alive = true;
  private ending = false;
  private readonly outbox: Outbox<Member>;
  private readonly bucket: TokenBucket;
  private timers: NodeJS.Timeout[] = [];

  constructor(
    readonly ws: WebSocket,
    socket: Duplex,
    readonly identity: Identity,
    private readonly ctx: SessionContext,
  ) {
    this.peerId = identity.peerId;
    this.keyId = identity.key.key;
    this.app = identity.key.app;
    this.presenceEntry = identity.peerMetadata ? { peerId: this.peerId, metadata: identity.peerMetadata } : { peerId: this.peerId };
    this.presenceJson = JSON.stringify(this.presenceEntry);
    // A key without the `presence` action receives no presence frames (docs/protocol.md §11).
    this.wantsPresence = identity.actions.has('presence');
    this.bucket = new TokenBucket(identity.key.limits.messagesPerSecond);
    this.outbox = new Outbox(
      ws,
      socket,
      ctx.maxBufferedBytes,
      (flooder) => {
        // A co-member sending faster than this one can read: that sender goes, this one stays.
        // 1008, not the terminal-looking 4011: the SDK reconnects, so a sender wrongly judged loses one socket.
        if (flooder instanceof Session) flooder.kill(1008, 'sending faster than co-members can receive');
        else this.kill(1008, 'send buffer overflow');
      },
      (text) => ctx.log.frame(this.peerId, 'out', text),
      (text) => ctx.log.log('error', 'dropped oversized server frame', { peer: this.peerId, size: Buffer.byteLength(text) }),
    );
  }

  /** Registers the connection and sends its welcome; the welcome is always the first frame. */
  start(): void {
    this.ctx.hub.add(this);
    this.send(
      welcomeFrame({
        peerId: this.peerId,
        expiresAt: this.identity.expiresAt,
        maxMessageSize: this.ctx.maxMessageSize,
        ...(this.identity.welcomeMetadata ? { metadata: this.identity.welcomeMetadata } : {}),
      }),
    );
    this.ws.on('message', this.onMessage);
    this.ws.on('pong', () => (this.alive = true));
    this.ws.on('close', (code: number, reason: Buffer) => this.end(code, reason.toString()));
    this.ws.on('error', (err) => this.ctx.log.log('warn', 'socket error', { peer: this.peerId, err: err.message }));
    if (this.identity.expiresAt !== null) this.armExpiry();
  }

  send(text: string, yieldAfter = false, from?: Member): void {
    this.outbox.send(text, yieldAfter, from);
  }

  /** Server-initiated close. Co-members hear `left` now, not after the close handshake. */
  kill(code: number, reason: string): void {
    if (this.ending) return;
    this.ending = true;
    this.ctx.hub.remove(this);
    this.outbox.stop();
    this.ws.close(code, reason);
    this.timers.push(setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref());
  }

  /** Shutdown: flush what is queued, then going_away, then 1001 (docs/protocol.md §7). */
  goAway(retryAfterMs: number): void {
    if (this.ending) return;
    this.outbox.drain();
    this.outbox.send(goingAwayFrame(retryAfterMs));
    this.kill(1001, 'server shutting down');
  }

  /** Dead-socket reaping: no pong since the last ping round. */
  terminate(): void {
    this.ws.terminate();
  }

  private readonly onMessage = (data: RawData, isBinary: boolean): void => {
    this.alive = true;
    if (this.ending) return;
    if (!this.bucket.take()) {
      this.kill(4011, 'message rate exceeded');
      return;
    }
    const text = isBinary ? null : data.toString();
    if (text === null) {
      this.send('{"type":"error","code":"malformed_message","message":"binary frames are not supported"}');
      return;
    }
    this.ctx.log.frame(this.peerId, 'in', text);
    try {
      handleText(this, text, this.ctx);
    } catch (err) {
      // A bug in one request must not take the server down; the client's request will time out.
      this.ctx.log.log('error', 'request handler failed', { peer: this.peerId, err: String((err as Error).stack ?? err) });
    }
  };

  private armExpiry(): void {
    const ms = (this.identity.expiresAt ?? 0) * 1000 - Date.now();
    const timer = setTimeout(
      () => (Date.now() >= (this.identity.expiresAt ?? 0) * 1000 ? this.kill(4002, 'token expired') : this.armExpiry()),
      Math.min(Math.max(ms, 0), MAX_TIMER_MS),
    );
    this.timers.push(timer.unref());
  }

  private end(code: number, reason: string): void {
    this.ending = true;
    this.ctx.hub.remove(this);
    this.outbox.stop();
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.ctx.onEnded(this, code, reason);
  }
}
