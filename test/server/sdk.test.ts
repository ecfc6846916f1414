// docs/protocol.md end to end: the unmodified @metered-ca/realtime SDK, in
// Node, against the server. Sockets are real `ws` sockets (browser-like one task per
// frame). WebRTC is a FAKE (fake-rtc.ts): Node 20 has none, and real media is the
// browser tests' job; the fake proves SDP and ICE cross the server intact and in order.
import assert from 'node:assert/strict';
import { MeteredPeer, type MeteredPeerOptions, type RemotePeer, SignallingClient, type WebSocketLike } from '@metered-ca/realtime';
import { WebSocket } from 'ws';
import type { RunningServer } from '../../server/index.ts';
import { type FakeRTCPeerConnection, FakeMediaStream, FakeMediaStreamTrack, fakeRtcPeerConnectionFactory } from './fake-rtc.ts';
import { DEV_KEY, eventually, once, room, serve, test } from './helpers.ts';

type Listener = (ev: unknown) => void;

/**
 * A real ws socket the test can cut off as a network failure would: `freeze()` stops all
 * traffic both ways without a close frame (the server only learns by its ping timeout);
 * `drop()` also tells the SDK its socket closed (1006), as a browser reports a lost link.
 */
class TestSocket implements WebSocketLike {
  readonly ws: WebSocket;
  private frozen = false;
  private closedLocally = false;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string) {
    this.ws = new WebSocket(url, { allowSynchronousEvents: false });
    for (const type of ['open', 'message', 'close', 'error'] as const) {
      this.ws.addEventListener(type, (ev: unknown) => {
        if (!this.frozen) this.emit(type, ev);
      });
    }
  }

  get readyState(): number {
    if (this.closedLocally) return WebSocket.CLOSED;
    return this.frozen ? WebSocket.OPEN : this.ws.readyState;
  }

  send(data: string): void {
    if (!this.frozen) this.ws.send(data);
  }

  close(code?: number, reason?: string): void {
    if (this.frozen) return this.closeLocally();
    this.ws.close(code, reason);
  }

  freeze(): void {
    this.frozen = true;
    this.ws.pause(); // no reads: WS pings go unanswered
  }

  drop(): void {
    this.freeze();
    this.closeLocally();
  }

  addEventListener(type: string, l: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)?.add(l);
  }

  removeEventListener(type: string, l: Listener): void {
    this.listeners.get(type)?.delete(l);
  }

  private closeLocally(): void {
    if (this.closedLocally) return;
    this.closedLocally = true;
    setImmediate(() => this.emit('close', { code: 1006, reason: '' }));
  }

  private emit(type: string, ev: unknown): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l(ev);
  }
}

interface TestPeer {
  peer: MeteredPeer;
  sockets: TestSocket[];
  errors: Error[];
  data: { senderPeerId: string; data: unknown; kind: string }[];
  joinedPeers: string[];
  leftPeers: string[];
}

function sdkPeer(server: RunningServer, t: import('node:test').TestContext, extra: Partial<MeteredPeerOptions> = {}): TestPeer {
  const sockets: TestSocket[] = [];
  const peer = new MeteredPeer({
    apiKey: DEV_KEY,
    url: server.wsUrl,
    webSocketFactory: (u: string) => {
      const s = new TestSocket(u);
      sockets.push(s);
      return s;
    },
    rtcPeerConnectionFactory: fakeRtcPeerConnectionFactory as unknown as MeteredPeerOptions['rtcPeerConnectionFactory'],
    ...extra,
  });
  const tp: TestPeer = { peer, sockets, errors: [], data: [], joinedPeers: [], leftPeers: [] };
  peer.on('error', ({ err }) => tp.errors.push(err));
  peer.on('data', (d) => tp.data.push(d));
  peer.on('peer-joined', ({ peer: r }) => tp.joinedPeers.push(r.id));
  peer.on('peer-left', ({ peer: r }) => tp.leftPeers.push(r.id));
  t.after(async () => {
    await peer.close().catch(() => {});
    for (const s of sockets) s.ws.terminate();
  });
  return tp;
}

function withMedia(tp: TestPeer): void {
  const stream = new FakeMediaStream([new FakeMediaStreamTrack('audio'), new FakeMediaStreamTrack('video')]);
  tp.peer.addStream(stream as unknown as Parameters<MeteredPeer['addStream']>[0], { label: 'camera' });
}

function remote(tp: TestPeer, id: string): RemotePeer | undefined {
  return tp.peer.remotePeers.find((r) => r.id === id);
}

function pcOf(r: RemotePeer): FakeRTCPeerConnection {
  return r.pc as unknown as FakeRTCPeerConnection;
}

test('§10.11 the unmodified SDK with url ws://localhost:<port> resolves join()', async (t) => {
  const server = await serve(t);
  const a = sdkPeer(server, t, { url: server.wsUrl.replace('127.0.0.1', 'localhost') });
  await a.peer.join(room());
  assert.equal(a.peer.state, 'joined');
  assert.equal(typeof a.peer.peerId, 'string');
});

test('§10.37 two MeteredPeers in one channel each emit peer-joined for the other exactly once', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  await a.peer.join(channel);
  await b.peer.join(channel);
  await eventually(() => a.joinedPeers.length > 0 && b.joinedPeers.length > 0, 3000, 'both to see each other');
  // A data round trip each way is the barrier: any duplicate presence was delivered before it.
  await a.peer.send('sync');
  await b.peer.send('sync');
  await eventually(() => a.data.length === 1 && b.data.length === 1, 3000, 'sync messages');
  assert.deepEqual(a.joinedPeers, [b.peer.peerId]);
  assert.deepEqual(b.joinedPeers, [a.peer.peerId]);
});

test('§10.38 SDP (rtc-description) and ICE (rtc-ice, ending with null) relayed via send/direct reach connected with tracks on both sides', async (t) => {
  const server = await serve(t, { logFrames: false });
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  withMedia(a);
  withMedia(b);
  const tracksAtA: string[] = [];
  const tracksAtB: string[] = [];
  a.peer.on('peer-joined', ({ peer: r }) => r.on('track', (ev) => tracksAtA.push(`${ev.track.kind}:${JSON.stringify(ev.metadata)}`)));
  b.peer.on('peer-joined', ({ peer: r }) => r.on('track', (ev) => tracksAtB.push(`${ev.track.kind}:${JSON.stringify(ev.metadata)}`)));
  await a.peer.join(channel);
  await b.peer.join(channel);
  const ra = await eventually(() => remote(a, b.peer.peerId ?? ''), 3000, 'A to know B');
  const rb = await eventually(() => remote(b, a.peer.peerId ?? ''), 3000, 'B to know A');
  await eventually(() => ra.state === 'connected' && rb.state === 'connected', 5000, `both connected (A→B ${ra.state}, B→A ${rb.state})`);
  for (const [r, other] of [[ra, rb], [rb, ra]] as const) {
    const pc = pcOf(r);
    assert.equal(pc.remoteEndOfCandidates, true, 'candidate:null arrived');
    assert.ok(pc.remoteCandidates.length >= 2);
    assert.equal(pc.remoteDescription?.sdp, pcOf(other).localDescription?.sdp, 'SDP relayed byte for byte');
  }
  await eventually(() => tracksAtA.length === 2 && tracksAtB.length === 2, 3000, 'tracks on both sides');
  assert.deepEqual(tracksAtA.sort(), ['audio:{"label":"camera"}', 'video:{"label":"camera"}']);
  assert.deepEqual(tracksAtB.sort(), ['audio:{"label":"camera"}', 'video:{"label":"camera"}']);
  assert.deepEqual([...a.errors, ...b.errors], []);
});

test('§10.39 peer.send(x) reaches B as data{senderPeerId:A, kind:"broadcast"} and not A; sendTo gives kind:"direct"', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  await a.peer.join(channel);
  await b.peer.join(channel);
  await eventually(() => remote(a, b.peer.peerId ?? ''), 3000, 'A to know B');
  const x = { hello: 'world', n: [1, 2, 3] };
  await a.peer.send(x);
  await a.peer.sendTo(b.peer.peerId ?? '', { only: 'you' });
  await eventually(() => b.data.length === 2, 3000, 'two data events at B');
  assert.deepEqual(b.data[0], { senderPeerId: a.peer.peerId, data: x, kind: 'broadcast' });
  assert.deepEqual(b.data[1], { senderPeerId: a.peer.peerId, data: { only: 'you' }, kind: 'direct' });
  await b.peer.send('barrier');
  await eventually(() => a.data.length === 1, 3000, 'barrier at A');
  assert.deepEqual(a.data.map((d) => d.data), ['barrier'], 'A never saw its own broadcast');
});

test('§10.40 A.close() makes B emit peer-left(A) within 1 s', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  await a.peer.join(channel);
  await b.peer.join(channel);
  const aId = a.peer.peerId;
  await eventually(() => remote(b, aId ?? ''), 3000, 'B to know A');
  const left = once<{ peer: RemotePeer }>(b.peer as never, 'peer-left', (e) => e.peer.id === aId, 1000);
  const started = performance.now();
  await a.peer.close();
  await left;
  t.diagnostic(`peer-left after ${(performance.now() - started).toFixed(1)} ms`);
});

test('§10.41 killing A\'s network (no close frame) makes B emit peer-left(A) within the dead-socket timeout', async (t) => {
  const pingIntervalMs = 250;
  const server = await serve(t, { pingIntervalMs });
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  await a.peer.join(channel);
  await b.peer.join(channel);
  const aId = a.peer.peerId;
  await eventually(() => remote(b, aId ?? ''), 3000, 'B to know A');
  const started = performance.now();
  a.sockets[0]?.freeze();
  await once<{ peer: RemotePeer }>(b.peer as never, 'peer-left', (e) => e.peer.id === aId, 2 * pingIntervalMs + 2000);
  t.diagnostic(`peer-left ${(performance.now() - started).toFixed(0)} ms after the network died (ping interval ${pingIntervalMs} ms)`);
});

test('§10.42 after A\'s socket drops and A reconnects (new peerId), B sees peer-joined(A\') and peer-left(A), media resumes, A is joined again', async (t) => {
  // The server notices the old socket only through its ping timeout, as with a real network drop.
  const server = await serve(t, { pingIntervalMs: 500 });
  const channel = room();
  const a = sdkPeer(server, t);
  const b = sdkPeer(server, t);
  withMedia(a);
  withMedia(b);
  await a.peer.join(channel);
  await b.peer.join(channel);
  const oldId = a.peer.peerId ?? '';
  const bId = b.peer.peerId ?? '';
  const rb = await eventually(() => remote(b, oldId), 3000, 'B to know A');
  const ra = await eventually(() => remote(a, bId), 3000, 'A to know B');
  await eventually(() => rb.state === 'connected' && ra.state === 'connected', 5000, 'first call connected');
  const resets = once(ra as never, 'connection-reset', () => true, 15_000);

  a.sockets[0]?.drop();
  await eventually(() => a.peer.state === 'reconnecting', 3000, 'A reconnecting');
  await eventually(() => a.peer.state === 'joined', 10_000, 'A joined again');
  const newId = a.peer.peerId ?? '';
  assert.notEqual(newId, oldId, 'a pk key gets a new peerId on every connect');
  await eventually(() => b.joinedPeers.includes(newId), 5000, "B's peer-joined(A')");
  await eventually(() => b.leftPeers.includes(oldId), 5000, "B's peer-left(A)");
  t.diagnostic(`B saw: joined ${b.joinedPeers.join(', ')}; left ${b.leftPeers.join(', ')}`);
  // A kept B as a survivor and swapped its connection; B built a new one for A'.
  await resets;
  const rb2 = remote(b, newId);
  assert.ok(rb2);
  await eventually(() => rb2.state === 'connected' && ra.state === 'connected', 5000, `media resumed (B→A' ${rb2.state}, A→B ${ra.state})`);
  assert.deepEqual(b.peer.remotePeers.map((r) => r.id), [newId]);
  assert.deepEqual(
    a.errors.filter((e) => e.name === 'ReconcileTimeoutError'),
    [],
  );
});

test('§10.36 after a drop and reconnect, the replayed subscribe gets an ack and a full snapshot within 10 s', async (t) => {
  const server = await serve(t);
  const channel = room();
  const sockets: TestSocket[] = [];
  const client = new SignallingClient({
    apiKey: DEV_KEY,
    url: server.wsUrl,
    webSocketFactory: (u: string) => {
      const s = new TestSocket(u);
      sockets.push(s);
      return s;
    },
  });
  t.after(async () => {
    await client.close();
    for (const s of sockets) s.ws.terminate();
  });
  const other = sdkPeer(server, t);
  await other.peer.join(channel);
  await client.connect();
  await client.subscribe(channel);
  const reconnected = once<{ isReconnect: boolean }>(client as never, 'connected', (e) => e.isReconnect, 10_000);
  sockets[0]?.drop();
  await reconnected;
  const at = performance.now();
  const snapshot = await once<{ channel: string; joined: { peerId: string }[] }>(
    client as never,
    'presence',
    (e) => e.channel === channel && e.joined.some((p) => p.peerId === other.peer.peerId),
    10_000,
  );
  t.diagnostic(`snapshot ${(performance.now() - at).toFixed(1)} ms after the reconnect welcome`);
  assert.ok(snapshot.joined.length >= 2, 'full snapshot: the other member and the client itself');
});
