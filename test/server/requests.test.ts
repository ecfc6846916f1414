// docs/protocol.md §4 (requests), including the ordering rules of §4.1.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { type KeyConfig, mintToken } from '../../server/index.ts';
import { RawClient, type Received, room, serve, test } from './helpers.ts';

const ALL = ['subscribe', 'publish', 'presence', 'send'] as const;
const SECRET = 'sk_live_requests_test';

test('§10.12 subscribe gets exactly one ack, then the snapshot, written on a later event-loop turn', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl, { allowSynchronousEvents: true });
  const channel = room();
  const requestId = randomUUID();
  c.send({ type: 'subscribe', channel, requestId });
  const ack = await c.waitFor((f) => f.type === 'ack' && f.requestId === requestId);
  const snapshot = await c.waitFor((f) => f.type === 'presence' && f.channel === channel);
  await c.barrier();
  assert.equal(c.count((f) => f.requestId === requestId), 1, 'exactly one answer');
  assert.ok(ack.seq < snapshot.seq, 'ack precedes the snapshot');
  // With allowSynchronousEvents: true, frames written in one server burst are dispatched in one turn here.
  assert.notEqual(ack.turn, snapshot.turn, 'snapshot must come on a later turn than the ack');
  c.close();
});

test('§10.12 an SDK-like client that sets its channel in the ack continuation sees its snapshot', async (t) => {
  // MeteredPeer.join() sets its channel only in the promise continuation after the ack, and
  // ignores presence for any other channel: a snapshot dispatched before that is lost.
  const server = await serve(t);
  const existing = await RawClient.connect(server.wsUrl);
  const channel = room();
  await existing.join(channel);
  const c = await RawClient.connect(server.wsUrl, { allowSynchronousEvents: true });
  let joinedChannel: string | null = null;
  let snapshotSeenWhileJoined: boolean | null = null;
  const requestId = randomUUID();
  let ackArrived!: () => void;
  const acked = new Promise<void>((r) => (ackArrived = r));
  c.onFrame = (r: Received) => {
    if (r.frame.type === 'ack' && r.frame.requestId === requestId) ackArrived();
    if (r.frame.type === 'presence' && snapshotSeenWhileJoined === null) snapshotSeenWhileJoined = joinedChannel === r.frame.channel;
  };
  const join = acked.then(() => {
    joinedChannel = channel;
  });
  c.send({ type: 'subscribe', channel, requestId });
  await join;
  await c.waitFor((f) => f.type === 'presence');
  assert.equal(snapshotSeenWhileJoined, true, 'the snapshot was dispatched before the join continuation ran');
  existing.close();
  c.close();
});

test('§10.13 the snapshot lists every current member and has joined/left arrays', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  await b.join(channel);
  const c = await RawClient.connect(server.wsUrl);
  const { snapshot } = await c.join(channel);
  assert.ok(Array.isArray(snapshot.frame.joined));
  assert.deepEqual(snapshot.frame.left, []);
  const ids = (snapshot.frame.joined as { peerId: string }[]).map((p) => p.peerId).sort();
  assert.deepEqual(ids, [a.peerId, b.peerId, c.peerId].sort());
  for (const x of [a, b, c]) x.close();
});

test('§10.14 existing members get presence{joined:[newcomer]} before the newcomer gets its ack', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  const b = await RawClient.connect(server.wsUrl);
  const requestId = randomUUID();
  b.onFrame = (r) => {
    // The moment B is acked it speaks to A, as a real peer would (SDP offer).
    if (r.frame.type === 'ack' && r.frame.requestId === requestId) b.send({ type: 'send', to: a.peerId, data: 'offer', requestId: randomUUID() });
  };
  b.send({ type: 'subscribe', channel, requestId });
  const ack = await b.waitFor((f) => f.type === 'ack' && f.requestId === requestId);
  const delta = await a.waitFor((f) => f.type === 'presence' && f.joined?.[0]?.peerId === b.peerId);
  assert.deepEqual(delta.frame, { type: 'presence', channel, joined: [{ peerId: b.peerId }], left: [] });
  assert.ok(delta.seq < ack.seq, `A's delta (#${delta.seq}) must arrive before B's ack (#${ack.seq})`);
  const direct = await a.waitFor((f) => f.type === 'direct');
  assert.ok(delta.seq < direct.seq, 'A knows B before B\'s first direct');
  a.close();
  b.close();
});

test('§10.15 re-subscribing is acked with a fresh full snapshot and no second joined delta to others', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  await b.join(channel);
  await a.waitFor((f) => f.type === 'presence' && f.joined?.[0]?.peerId === b.peerId);
  const again = await b.join(channel);
  assert.equal(again.ack.frame.type, 'ack');
  const ids = (again.snapshot.frame.joined as { peerId: string }[]).map((p) => p.peerId).sort();
  assert.deepEqual(ids, [a.peerId, b.peerId].sort());
  await a.barrier();
  assert.equal(a.count((f) => f.type === 'presence' && f.joined?.some((p: { peerId: string }) => p.peerId === b.peerId)), 1);
  a.close();
  b.close();
});

test('§10.16 unsubscribe is acked and the others get presence{joined:[], left:[{peerId}]}', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  await b.join(channel);
  const answer = await b.request({ type: 'unsubscribe', channel });
  assert.equal(answer.type, 'ack');
  const left = await a.waitFor((f) => f.type === 'presence' && f.left.length > 0);
  assert.deepEqual(left.frame, { type: 'presence', channel, joined: [], left: [{ peerId: b.peerId }] });
  a.close();
  b.close();
});

test('§10.16 unsubscribing from a channel one is not in is still acked', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  assert.equal((await c.request({ type: 'unsubscribe', channel: room() })).type, 'ack');
  c.close();
});

test('§10.17 publish is acked and every other subscriber gets message{channel, from, data} deep-equal', async (t) => {
  const server = await serve(t);
  const channel = room();
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.wsUrl)));
  for (const x of [a, b, c]) await x!.join(channel);
  const data = { text: 'héllo ✓ 😀', n: [1, 2.5, -3e10], nested: { ok: true, nothing: null }, s: '"quoted"\\' };
  assert.equal((await a!.request({ type: 'publish', channel, data })).type, 'ack');
  for (const x of [b!, c!]) {
    const m = await x.waitFor((f) => f.type === 'message');
    assert.deepEqual(m.frame, { type: 'message', channel, from: a!.peerId, data });
  }
  for (const x of [a, b, c]) x!.close();
});

test('§10.18 publish is not echoed to the sender', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  await b.join(channel);
  await a.request({ type: 'publish', channel, data: 'x' });
  await b.waitFor((f) => f.type === 'message');
  await a.barrier();
  assert.equal(a.count((f) => f.type === 'message'), 0);
  a.close();
  b.close();
});

test('§10.19 send is acked and the recipient gets direct{from, data} without a channel', async (t) => {
  const server = await serve(t);
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  const data = { type: 'rtc-description', description: { type: 'offer', sdp: 'v=0\r\n' } };
  assert.equal((await a.request({ type: 'send', to: b.peerId, data })).type, 'ack');
  const d = await b.waitFor((f) => f.type === 'direct');
  assert.deepEqual(d.frame, { type: 'direct', from: a.peerId, data });
  assert.equal('channel' in d.frame, false);
  a.close();
  b.close();
});

test('§10.20 send to an unknown peer → error peer_not_found with the requestId', async (t) => {
  const server = await serve(t);
  const a = await RawClient.connect(server.wsUrl);
  const answer = await a.request({ type: 'send', to: randomUUID(), data: 1, requestId: 'rid-20' });
  assert.equal(answer.type, 'error');
  assert.equal(answer.code, 'peer_not_found');
  assert.equal(answer.requestId, 'rid-20');
  a.close();
});

test('§10.21 data:null is delivered as null with the data key present', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await b.join(channel);
  await a.request({ type: 'publish', channel, data: null });
  await a.request({ type: 'send', to: b.peerId, data: null });
  const m = await b.waitFor((f) => f.type === 'message');
  const d = await b.waitFor((f) => f.type === 'direct');
  for (const r of [m, d]) {
    assert.ok('data' in r.frame);
    assert.equal(r.frame.data, null);
  }
  a.close();
  b.close();
});

test('§10.21 publish or send without data → error missing_data with the requestId', async (t) => {
  const server = await serve(t);
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  const p = await a.request({ type: 'publish', channel: room(), requestId: 'rid-p' });
  const s = await a.request({ type: 'send', to: b.peerId, requestId: 'rid-s' });
  assert.deepEqual([p.code, p.requestId], ['missing_data', 'rid-p']);
  assert.deepEqual([s.code, s.requestId], ['missing_data', 'rid-s']);
  a.close();
  b.close();
});

test('§10.22 invalid JSON → error malformed_message without requestId; the connection stays open', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  c.send('{"type":"subscribe",');
  const e = await c.waitFor((f) => f.type === 'error');
  assert.equal(e.frame.code, 'malformed_message');
  assert.equal('requestId' in e.frame, false);
  c.send('[1,2,3]');
  await c.waitFor(() => c.count((f) => f.type === 'error' && f.code === 'malformed_message') === 2, 3000, 'second error');
  await c.barrier();
  assert.equal(c.closeInfo, null);
  c.close();
});

test('§10.22 data nested too deeply to re-serialise → error malformed_message with the requestId, connection open', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
  c.send(`{"type":"publish","channel":"x","requestId":"rid-deep","data":${deep}}`);
  const e = await c.waitFor((f) => f.requestId === 'rid-deep');
  assert.deepEqual([e.frame.type, e.frame.code], ['error', 'malformed_message']);
  await c.barrier();
  c.close();
});

test('§10.23 an unknown type with a requestId → error unknown_type echoing it', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  const e = await c.request({ type: 'teleport', requestId: 'rid-23' });
  assert.deepEqual([e.type, e.code, e.requestId], ['error', 'unknown_type', 'rid-23']);
  c.close();
});

test('§10.24 a channel over 256 chars or with control characters → error invalid_channel', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  for (const channel of ['x'.repeat(257), 'room\u0000', 'room\u001f', 'room\u007f', 'room\u0085', '', 42]) {
    for (const type of ['subscribe', 'publish', 'unsubscribe']) {
      const e = await c.request({ type, channel, data: 1 });
      assert.equal(e.code, 'invalid_channel', `${type} ${JSON.stringify(channel)}`);
    }
  }
  assert.equal((await c.request({ type: 'subscribe', channel: 'x'.repeat(256) })).type, 'ack', '256 chars is fine');
  c.close();
});

test('§10.24 a `to` over 128 chars or with control characters → error invalid_peer_id', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  for (const to of ['p'.repeat(129), 'peer\u0001', '', undefined, 7]) {
    const e = await c.request({ type: 'send', to, data: 1 });
    assert.equal(e.code, 'invalid_peer_id', JSON.stringify(to));
  }
  c.close();
});

test('§10.25 subscribe to a reserved prefix (any case) → error channel_reserved', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  for (const channel of ['_metered/x', '_METERED/x', '_Internal/y', '_system/z']) {
    const e = await c.request({ type: 'subscribe', channel });
    assert.equal(e.code, 'channel_reserved', channel);
  }
  assert.equal((await c.request({ type: 'subscribe', channel: '_meteredx' })).type, 'ack', 'only the prefix with a slash is reserved');
  c.close();
});

test('§10.26 subscribe or publish outside the key\'s channel patterns → error channel_not_authorized', async (t) => {
  const keys: KeyConfig[] = [{ key: 'pk_live_demo', channels: ['demo-room-*'], actions: [...ALL] }];
  const server = await serve(t, { keys });
  const c = await RawClient.connect(server.wsUrl, { key: 'pk_live_demo' });
  const s = await c.request({ type: 'subscribe', channel: 'other-room', requestId: 'rid-s' });
  const p = await c.request({ type: 'publish', channel: 'other-room', data: 1, requestId: 'rid-p' });
  assert.deepEqual([s.code, s.requestId], ['channel_not_authorized', 'rid-s']);
  assert.deepEqual([p.code, p.requestId], ['channel_not_authorized', 'rid-p']);
  assert.equal((await c.request({ type: 'subscribe', channel: 'demo-room-7' })).type, 'ack');
  c.close();
});

test('§10.26 a token\'s channels claim narrows the key: other channels → channel_not_authorized', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET }] });
  const token = await mintToken({ secret: SECRET, room: 'only-this', ttlSeconds: 60 });
  const c = await RawClient.connect(server.wsUrl, { token });
  assert.equal((await c.request({ type: 'subscribe', channel: 'only-this' })).type, 'ack');
  assert.equal((await c.request({ type: 'subscribe', channel: 'not-this' })).code, 'channel_not_authorized');
  c.close();
});

test('§10.27 an action disabled on the key → error action_not_permitted with the requestId', async (t) => {
  // Metered's default for pk keys: no `send`, and then no call can negotiate.
  const keys: KeyConfig[] = [{ key: 'pk_live_nosend' }, { key: 'pk_live_listen', actions: ['subscribe', 'presence'] }];
  const server = await serve(t, { keys });
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_nosend' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_listen' });
  const s = await a.request({ type: 'send', to: b.peerId, data: 1, requestId: 'rid-send' });
  assert.deepEqual([s.code, s.requestId], ['action_not_permitted', 'rid-send']);
  const p = await b.request({ type: 'publish', channel: room(), data: 1, requestId: 'rid-pub' });
  assert.deepEqual([p.code, p.requestId], ['action_not_permitted', 'rid-pub']);
  assert.equal((await b.request({ type: 'subscribe', channel: room() })).type, 'ack');
  a.close();
  b.close();
});

test('§10.27 a token\'s permissions claim narrows the key\'s actions', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET, actions: [...ALL] }] });
  const token = await mintToken({ secret: SECRET, ttlSeconds: 60, permissions: ['subscribe', 'presence'] });
  const c = await RawClient.connect(server.wsUrl, { token });
  assert.equal((await c.request({ type: 'publish', channel: room(), data: 1 })).code, 'action_not_permitted');
  c.close();
});

test('§10.28 includeSenderMetadata subscribers get fromMetadata from the sender\'s peerMetadata; others never do', async (t) => {
  const keys: KeyConfig[] = [{ key: SECRET, actions: [...ALL] }];
  const server = await serve(t, { keys });
  const channel = room();
  const peerMetadata = { name: 'Alice', role: 'host' };
  const sender = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, ttlSeconds: 60, peerMetadata }) });
  const token = await mintToken({ secret: SECRET, ttlSeconds: 60 });
  const withMeta = await RawClient.connect(server.wsUrl, { token });
  const without = await RawClient.connect(server.wsUrl, { token });
  assert.equal((await withMeta.request({ type: 'subscribe', channel, includeSenderMetadata: true })).type, 'ack');
  assert.equal((await without.request({ type: 'subscribe', channel })).type, 'ack');
  await sender.request({ type: 'subscribe', channel });
  await sender.request({ type: 'publish', channel, data: 'hi' });
  const m1 = await withMeta.waitFor((f) => f.type === 'message');
  const m2 = await without.waitFor((f) => f.type === 'message');
  assert.deepEqual(m1.frame.fromMetadata, peerMetadata);
  assert.equal('fromMetadata' in m2.frame, false);
  // Presence carries the same metadata.
  const p = await withMeta.waitFor((f) => f.type === 'presence' && f.joined?.[0]?.peerId === sender.peerId);
  assert.deepEqual(p.frame.joined[0].metadata, peerMetadata);
  for (const c of [sender, withMeta, without]) c.close();
});

test('§10.28 a sender without peerMetadata produces no fromMetadata even for opted-in subscribers', async (t) => {
  const server = await serve(t);
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await b.request({ type: 'subscribe', channel, includeSenderMetadata: true });
  await a.request({ type: 'publish', channel, data: 1 });
  const m = await b.waitFor((f) => f.type === 'message');
  assert.equal('fromMetadata' in m.frame, false);
  a.close();
  b.close();
});

test('§10.29 frames from one sender reach one recipient in the order sent', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_fast', actions: [...ALL], limits: { messagesPerSecond: 10_000 } }] });
  const channel = room();
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_fast' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_fast' });
  await b.join(channel);
  const N = 300;
  // SDP, then ICE candidates, then end-of-candidates, interleaved with broadcasts.
  for (let i = 0; i < N; i++) {
    if (i % 3 === 0) a.send({ type: 'publish', channel, data: { i }, requestId: `p${i}` });
    else a.send({ type: 'send', to: b.peerId, data: { i }, requestId: `s${i}` });
  }
  await a.waitFor((f) => f.requestId === `p${N - 1}` || f.requestId === `s${N - 1}`, 5000);
  await b.waitFor(() => b.count((f) => f.type === 'message' || f.type === 'direct') === N, 5000, 'all frames');
  const order = b.frames.filter((r) => r.frame.type === 'message' || r.frame.type === 'direct').map((r) => r.frame.data.i as number);
  assert.deepEqual(order, [...Array(N).keys()]);
  a.close();
  b.close();
});
