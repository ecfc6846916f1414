// Test helpers for the server conformance suite: a raw WebSocket client that records
// every frame with its arrival order and event-loop turn, waits for frames with
// timeouts (never fixed sleeps), and a server fixture per test.
import { randomUUID } from 'node:crypto';
import { type TestContext, type TestOptions, test as nodeTest } from 'node:test';
import { WebSocket } from 'ws';
import { type RunningServer, type ServerOptions, startServer } from '../../server/index.ts';

export const DEV_KEY = 'pk_live_local';

/** Per-test timeout: every wait in these tests has its own shorter one; this only catches a hang. */
const TEST_TIMEOUT_MS = 30_000;

type TestFn = (t: TestContext) => void | Promise<void>;

/** node:test's `test` with a timeout by default (its CLI flag would also time out whole files). */
export function test(name: string, optionsOrFn: TestOptions | TestFn, fn?: TestFn): Promise<void> {
  if (typeof optionsOrFn === 'function') return nodeTest(name, { timeout: TEST_TIMEOUT_MS }, optionsOrFn);
  return nodeTest(name, { timeout: TEST_TIMEOUT_MS, ...optionsOrFn }, fn);
}

/** Starts a server for one test (quiet, no coturn unless asked); afterwards cuts off every raw client and closes it. */
export async function serve(t: TestContext, options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ turn: false, ...options });
  t.after(async () => {
    // A client a failed test left paused would never see the server go away and keep this process alive.
    for (const c of openClients) c.ws.terminate();
    await server.close();
  });
  return server;
}

const openClients = new Set<RawClient>();

// Frames dispatched in one synchronous burst (one TCP read, with ws's default
// allowSynchronousEvents: true) share a turn number; a microtask checkpoint between
// two frames means they arrived on different turns of this process's event loop.
let turn = 0;
let turnOpen = false;
function currentTurn(): number {
  if (!turnOpen) {
    turnOpen = true;
    turn++;
    queueMicrotask(() => {
      turnOpen = false;
    });
  }
  return turn;
}

let arrivals = 0;

// Server frames are loosely typed on purpose: tests assert on their exact fields.
// biome-ignore lint: a test-side view of arbitrary JSON
export type Frame = Record<string, any>;

export interface Received {
  frame: Frame;
  text: string;
  /** Global arrival order across every RawClient in this process. */
  seq: number;
  /** Event-loop turn on which it was dispatched. */
  turn: number;
}

export interface OpenOptions {
  key?: string;
  token?: string;
  /** Raw query string instead of key/token, e.g. '' or 'foo=1'. */
  query?: string;
  path?: string;
  origin?: string;
  /** ws default (true) dispatches all frames of one TCP read in one turn, like the SDK's default Node socket. */
  allowSynchronousEvents?: boolean;
  /** Connect from this local address (any of 127.0.0.0/8 works on Linux): a second "client machine". */
  localAddress?: string;
}

export interface Closed {
  code: number;
  reason: string;
}

export class RawClient {
  readonly frames: Received[] = [];
  readonly closed: Promise<Closed>;
  closeInfo: Closed | null = null;
  /** Called synchronously as each frame is dispatched, like an application's onmessage. */
  onFrame: ((r: Received) => void) | null = null;
  private listeners = new Set<() => void>();

  private constructor(readonly ws: WebSocket) {
    openClients.add(this);
    ws.on('message', (data, isBinary) => {
      const text = isBinary ? '' : data.toString();
      let frame: Frame;
      try {
        frame = JSON.parse(text) as Frame;
      } catch {
        frame = { type: '__unparseable__', text };
      }
      const received = { frame, text, seq: ++arrivals, turn: currentTurn() };
      this.frames.push(received);
      this.onFrame?.(received);
      this.notify();
    });
    this.closed = new Promise((resolve) =>
      ws.on('close', (code, reason) => {
        openClients.delete(this);
        this.closeInfo = { code, reason: reason.toString() };
        this.notify();
        resolve(this.closeInfo);
      }),
    );
    ws.on('error', () => {});
  }

  static url(base: string, o: OpenOptions = {}): string {
    const query = o.query ?? (o.token !== undefined ? `token=${encodeURIComponent(o.token)}` : `key=${encodeURIComponent(o.key ?? DEV_KEY)}`);
    return `${base}${o.path ?? '/v1'}${query ? `?${query}` : ''}`;
  }

  /** Opens a socket (resolves on upgrade, before any frame). */
  static open(base: string, o: OpenOptions = {}): Promise<RawClient> {
    const ws = new WebSocket(RawClient.url(base, o), {
      allowSynchronousEvents: o.allowSynchronousEvents ?? true,
      ...(o.origin !== undefined ? { origin: o.origin } : {}),
      ...(o.localAddress !== undefined ? { localAddress: o.localAddress } : {}),
    });
    const client = new RawClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens a socket and waits for its welcome. */
  static async connect(base: string, o: OpenOptions = {}): Promise<RawClient> {
    const c = await RawClient.open(base, o);
    await c.waitFor((f) => f.type === 'welcome');
    return c;
  }

  get welcome(): Frame | undefined {
    return this.frames[0]?.frame.type === 'welcome' ? this.frames[0].frame : undefined;
  }

  get peerId(): string {
    const id = this.welcome?.peerId;
    if (typeof id !== 'string') throw new Error('no welcome yet');
    return id;
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first received frame (past or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 3000, what = 'frame'): Promise<Received> {
    return this.until(() => this.frames.find((r) => pred(r.frame)), timeoutMs, what);
  }

  /** Sends a request with a fresh requestId and resolves with its ack or error. */
  async request(frame: Frame, timeoutMs = 3000): Promise<Frame> {
    const requestId = (frame.requestId as string | undefined) ?? randomUUID();
    this.send({ ...frame, requestId });
    const r = await this.waitFor((f) => (f.type === 'ack' || f.type === 'error') && f.requestId === requestId, timeoutMs, `answer to ${requestId}`);
    return r.frame;
  }

  /** Subscribes and waits for both the ack and the snapshot that follows it. */
  async join(channel: string): Promise<{ ack: Received; snapshot: Received }> {
    const requestId = randomUUID();
    this.send({ type: 'subscribe', channel, requestId });
    const ack = await this.waitFor((f) => f.type === 'ack' && f.requestId === requestId);
    const snapshot = await this.until(
      () => this.frames.find((r) => r.seq > ack.seq && r.frame.type === 'presence' && r.frame.channel === channel),
      3000,
      `snapshot of ${channel}`,
    );
    return { ack, snapshot };
  }

  /**
   * Round-trips a ping. Everything the server wrote to this socket before handling the
   * ping has arrived once this resolves: the basis for "nothing else was sent" checks.
   */
  async barrier(): Promise<void> {
    const before = this.frames.length;
    this.send({ type: 'ping' });
    await this.until(() => this.frames.slice(before).find((r) => r.frame.type === 'pong'), 3000, 'pong');
  }

  count(pred: (f: Frame) => boolean): number {
    return this.frames.filter((r) => pred(r.frame)).length;
  }

  close(code?: number): Promise<Closed> {
    if (this.ws.readyState === WebSocket.CONNECTING || this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    return this.closed;
  }

  /** Resolves once the socket is closed; fails after the timeout. */
  waitClosed(timeoutMs = 3000): Promise<Closed> {
    return this.until(() => this.closeInfo ?? undefined, timeoutMs, 'close');
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  private until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const v = probe();
        if (v === undefined) {
          if (this.closeInfo && what !== 'close') fail(`socket closed ${this.closeInfo.code} ${this.closeInfo.reason}`);
          return;
        }
        this.listeners.delete(check);
        deadline.removeEventListener('abort', onTimeout);
        resolve(v);
      };
      const fail = (why: string): void => {
        this.listeners.delete(check);
        deadline.removeEventListener('abort', onTimeout);
        const seen = this.frames.map((r) => r.frame.type).join(',');
        reject(new Error(`waiting for ${what}: ${why}; frames so far: [${seen}]`));
      };
      const deadline = AbortSignal.timeout(timeoutMs);
      const onTimeout = (): void => fail(`timed out after ${timeoutMs} ms`);
      deadline.addEventListener('abort', onTimeout, { once: true });
      this.listeners.add(check);
    });
  }
}

/** A unique channel name per test, so tests never see each other's presence. */
export function room(prefix = 'room'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Resolves when `emitter` emits `event` with a payload matching `pred`. */
export function once<T>(
  emitter: { on(e: string, h: (p: T) => void): unknown; off(e: string, h: (p: T) => void): unknown },
  event: string,
  pred: (p: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const handler = (p: T): void => {
      if (!pred(p)) return;
      deadline.removeEventListener('abort', onTimeout);
      emitter.off(event, handler);
      resolve(p);
    };
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = (): void => {
      emitter.off(event, handler);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    emitter.on(event, handler);
  });
}

/** Polls `probe` on every timer tick until it is truthy (for state held outside events). */
export async function eventually<T>(probe: () => T | undefined | false | null, timeoutMs = 3000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
