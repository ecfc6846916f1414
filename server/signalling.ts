// The WebSocket endpoint `/v1`: upgrade routing, authentication, connection limits,
// dead-socket reaping with WS pings, and graceful shutdown.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { type AuthResult, authenticate } from './auth.ts';
import { LatePresence } from './fault-late-presence.ts';
import { Hub } from './hub.ts';
import type { KeyStore } from './keys.ts';
import type { Logger } from './log.ts';
import { ENVELOPE_ALLOWANCE_BYTES } from './protocol.ts';
import { Session } from './session.ts';

export interface SignallingOptions {
  keys: KeyStore;
  log: Logger;
  maxMessageSize: number;
  maxBufferedBytes: number;
  pingIntervalMs: number;
  /** Open connections allowed from one remote address (all keys together). Breach → close 4010. */
  maxConnectionsPerAddress: number;
  /** Count loopback clients too (default: they are exempt: on a dev machine they are the developer's own tabs and tests). */
  limitLoopback: boolean;
  /** Fault mode: deliver a newcomer's directs before its presence (fault-late-presence.ts). */
  faultLatePresence?: boolean;
}

/** `::ffff:1.2.3.4` → `1.2.3.4`, so one IPv4 client is one address whichever socket family it used. */
function normaliseAddress(address: string | undefined): string {
  const a = address ?? 'unknown';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.');

/** How long shutdown waits for clients to answer the 1001 close before cutting them off (cutting a
 * slow client off sooner can reset the connection before it has read the close frame). */
const SHUTDOWN_GRACE_MS = 3000;
/** How long a refused client may take to answer our 4xxx close frame. */
const REFUSAL_GRACE_MS = 2000;

function httpRefuse(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function closed(ws: WebSocket): Promise<void> {
  return ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise((r) => ws.once('close', () => r()));
}

export class Signalling {
  readonly hub = new Hub();
  connectionsAccepted = 0;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Open sessions per remote address (addresses exempt from the limit are not counted). */
  private readonly perAddress = new Map<string, number>();
  /** Every accepted socket, including those being refused with a close code. */
  private readonly sockets = new Set<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private closing = false;

  constructor(private readonly opts: SignallingOptions) {
    this.wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      // Frames up to maxMessageSize + envelope are read; bigger ones are closed with 1009 by ws.
      maxPayload: opts.maxMessageSize + ENVELOPE_ALLOWANCE_BYTES,
    });
    // WS pings reap dead sockets; a client that answers is never closed for being idle. A dead
    // one goes after 1–2 intervals (default 30 s, the cadence the SDK's comments attribute to Metered).
    this.heartbeat = setInterval(() => this.pingRound(), opts.pingIntervalMs).unref();
    if (opts.faultLatePresence) this.hub.latePresence = new LatePresence();
  }

  stats(): { connectionsAccepted: number; openSockets: number; channels: number } {
    return { connectionsAccepted: this.connectionsAccepted, openSockets: this.sockets.size, channels: this.hub.channels.size };
  }

  /** The http server's 'upgrade' handler. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== '/v1') return httpRefuse(socket, '404 Not Found');
    if (this.closing) return httpRefuse(socket, '503 Service Unavailable');
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    // Authenticate before completing the upgrade (JWT checks are async), so no client frame
    // can arrive before we know who it is; refusals still complete the upgrade to carry a code.
    authenticate(url.searchParams, origin, this.opts.keys)
      .catch((err: unknown): AuthResult => {
        this.opts.log.log('error', 'authentication failed unexpectedly', { err: String(err) });
        return { ok: false, code: 4001, reason: 'invalid credentials' };
      })
      .then((result) => {
        if (socket.destroyed) return;
        if (this.closing) return httpRefuse(socket, '503 Service Unavailable');
        const address = normaliseAddress(req.socket.remoteAddress);
        this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, socket, result, origin, address));
      });
  }

  private accept(ws: WebSocket, socket: Duplex, result: AuthResult, origin: string | undefined, address: string): void {
    this.connectionsAccepted++;
    this.sockets.add(ws);
    ws.once('close', () => this.sockets.delete(ws));
    if (!result.ok) return this.refuse(ws, result.code, result.reason, origin);
    const identity = result.identity;
    // Only a holder in the newcomer's own app can be taken over: ids of other apps are another namespace.
    const holder = this.hub.peer(identity.key.app, identity.peerId);
    // Limits first: a connection that is then refused must not have evicted anyone. A takeover
    // by the same key replaces a connection, so it never counts against maxConnections.
    const replacing = holder instanceof Session && holder.keyId === identity.key.key ? 1 : 0;
    if (this.hub.connectionsFor(identity.key.key) - replacing >= identity.key.limits.maxConnections) {
      return this.refuse(ws, 4010, 'too many connections', origin);
    }
    // One client (address) must not use up a key's maxConnections and lock everyone else out.
    const counted = this.opts.limitLoopback || !isLoopback(address);
    if (counted && (this.perAddress.get(address) ?? 0) >= this.opts.maxConnectionsPerAddress) {
      return this.refuse(ws, 4010, 'too many connections from this address', origin);
    }
    // A stable (JWT) peer id already in use: the old socket goes first, and its `left` reaches
    // co-members before the newcomer's `joined` (docs/protocol.md §5). 4020 is terminal, so two
    // clients sharing one identity do not keep evicting each other.
    if (holder instanceof Session) holder.kill(4020, 'peer id taken over');
    const session = new Session(ws, socket, identity, {
      hub: this.hub,
      log: this.opts.log,
      maxMessageSize: this.opts.maxMessageSize,
      maxBufferedBytes: this.opts.maxBufferedBytes,
      onEnded: (s, code, reason) => {
        this.sessions.delete(s);
        if (counted) {
          const n = (this.perAddress.get(address) ?? 1) - 1;
          if (n > 0) this.perAddress.set(address, n);
          else this.perAddress.delete(address);
        }
        this.opts.log.log('info', 'connection closed', { peer: s.peerId, code, reason });
      },
    });
    this.sessions.add(session);
    if (counted) this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    this.opts.log.log('info', 'connection open', { peer: session.peerId, key: identity.key.id, origin });
    session.start();
  }

  private refuse(ws: WebSocket, code: number, reason: string, origin: string | undefined): void {
    this.opts.log.log('info', 'connection refused', { code, reason, origin });
    ws.on('error', () => {});
    ws.close(code, reason);
    setTimeout(() => ws.terminate(), REFUSAL_GRACE_MS).unref();
  }

  private pingRound(): void {
    for (const s of this.sessions) {
      if (!s.alive) {
        this.opts.log.log('info', 'reaping dead socket', { peer: s.peerId });
        s.terminate();
        continue;
      }
      s.alive = false;
      if (s.ws.readyState === WebSocket.OPEN) s.ws.ping();
    }
  }

  /** going_away + 1001 to every client, then cut off whoever has not closed after a grace period. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    clearInterval(this.heartbeat);
    this.hub.quiet = true;
    for (const s of this.sessions) s.goAway(1000);
    const all = Promise.all([...this.sockets].map(closed));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS)))]);
    clearTimeout(timer);
    for (const ws of this.sockets) ws.terminate();
    await Promise.all([...this.sockets].map(closed));
    this.wss.close();
  }
}
