// Issue 16.2, 16.3: apps are isolated. Keys of different apps (a key's `app`, default the key
// alone) share no peer ids, channels or directs; a takeover of a stable peer id only happens
// inside one app, and only after the newcomer has passed the connection limits.
import assert from 'node:assert/strict';
import { mintToken } from '../../server/index.ts';
import { type Frame, RawClient, room, serve, test } from './helpers.ts';

const ALL = ['subscribe', 'publish', 'presence', 'send'] as const;
const token = (secret: string, peerId?: string) => mintToken({ secret, ttlSeconds: 60, ...(peerId ? { peerId } : {}) });

test('issue 16.2: a token of another key cannot take over a peer id; the holder keeps its directs', async (t) => {
  const server = await serve(t, { keys: [{ key: 'sk_live_a', actions: [...ALL] }, { key: 'sk_live_b', actions: [...ALL] }] });
  const victim = await RawClient.connect(server.wsUrl, { token: await token('sk_live_a', 'alice') });
  const friend = await RawClient.connect(server.wsUrl, { token: await token('sk_live_a') });
  const intruder = await RawClient.connect(server.wsUrl, { token: await token('sk_live_b', 'alice') });
  assert.equal(intruder.peerId, 'alice', 'its own app has no alice: it may use the id there');
  // the victim is still connected, and a direct to alice from its app reaches it, not the intruder
  assert.equal((await friend.request({ type: 'send', to: 'alice', data: 'for alice' })).type, 'ack');
  assert.equal((await victim.waitFor((f) => f.type === 'direct')).frame.data, 'for alice');
  await intruder.barrier();
  await victim.barrier();
  assert.equal(victim.closeInfo, null, 'the victim was not evicted');
  assert.equal(intruder.count((f) => f.type === 'direct'), 0, 'the intruder received nothing');
  for (const c of [victim, friend, intruder]) c.close();
});

test('issue 16.2: a takeover refused by the connection limit evicts nobody', async (t) => {
  const server = await serve(t, {
    keys: [
      { key: 'sk_live_a', app: 'shared', actions: [...ALL] },
      { key: 'sk_live_b', app: 'shared', actions: [...ALL], limits: { maxConnections: 1 } },
    ],
  });
  const holder = await RawClient.connect(server.wsUrl, { token: await token('sk_live_a', 'alice') });
  const bob = await RawClient.connect(server.wsUrl, { token: await token('sk_live_b', 'bob') });
  const newcomer = await RawClient.open(server.wsUrl, { token: await token('sk_live_b', 'alice') });
  assert.equal((await newcomer.waitClosed()).code, 4010);
  await holder.barrier();
  assert.equal(holder.closeInfo, null, 'the holder is still connected');
  assert.equal((await bob.request({ type: 'send', to: 'alice', data: 'still you' })).type, 'ack');
  assert.equal((await holder.waitFor((f) => f.type === 'direct')).frame.data, 'still you');
  // within one key a takeover replaces a connection: allowed even at the limit
  const bob2 = await RawClient.connect(server.wsUrl, { token: await token('sk_live_b', 'bob') });
  assert.equal((await bob.waitClosed()).code, 4020);
  bob2.close();
  holder.close();
});

test('issue 16.3: different apps share no channels and cannot direct each other; one app can, shared channel or not', async (t) => {
  const server = await serve(t, {
    keys: [
      { key: 'pk_live_one', actions: [...ALL] },
      { key: 'pk_live_two', actions: [...ALL] },
      { key: 'pk_live_one_b', app: 'key:pk_live_one', actions: [...ALL] },
    ],
  });
  const channel = room();
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_one' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_two' });
  const sameApp = await RawClient.connect(server.wsUrl, { key: 'pk_live_one_b' });
  const snapA = (await a.join(channel)).snapshot.frame;
  const snapB = (await b.join(channel)).snapshot.frame;
  assert.deepEqual(snapB.joined.map((p: Frame) => p.peerId), [b.peerId], 'b sees only itself in "its" room');
  assert.deepEqual(snapA.joined.map((p: Frame) => p.peerId), [a.peerId]);
  // publish and direct across apps go nowhere
  assert.equal((await b.request({ type: 'publish', channel, data: 'to the room' })).type, 'ack');
  const refused = await b.request({ type: 'send', to: a.peerId, data: 'hello' });
  assert.equal(refused.code, 'peer_not_found');
  // within one app a direct reaches a peer it shares no channel with
  assert.equal((await sameApp.request({ type: 'send', to: a.peerId, data: 'same app' })).type, 'ack');
  assert.equal((await a.waitFor((f) => f.type === 'direct')).frame.data, 'same app');
  await a.barrier();
  assert.equal(a.count((f) => f.type === 'message' || (f.type === 'presence' && f.joined.some((p: Frame) => p.peerId === b.peerId))), 0, 'a never heard of b');
  for (const c of [a, b, sameApp]) c.close();
});

test('issue 16.7: a flooder cannot get a slow co-member disconnected; the flooder goes, the slow member gets everything in order', async (t) => {
  const keys = [{ key: 'pk_live_fast', actions: [...ALL], limits: { messagesPerSecond: 100_000 } }];
  const server = await serve(t, { keys, maxBufferedBytes: 256 * 1024 });
  const channel = room();
  const [slow, honest, flooder] = [
    await RawClient.connect(server.wsUrl, { key: 'pk_live_fast' }),
    await RawClient.connect(server.wsUrl, { key: 'pk_live_fast' }),
    await RawClient.connect(server.wsUrl, { key: 'pk_live_fast' }),
  ];
  for (const c of [slow, honest, flooder]) await c.join(channel);
  slow.ws.pause(); // reads nothing while the flood lasts: as slow as a member can be and still be there
  const chunk = 'f'.repeat(60_000);
  // the well-behaved member keeps talking through the flood
  let k = 0;
  const honestSent: number[] = [];
  let i = 0;
  while (flooder.closeInfo === null && slow.closeInfo === null && i < 2000) {
    if (i % 10 === 0) {
      honestSent.push(k);
      await honest.request({ type: 'publish', channel, data: { k: k++ } });
    }
    await flooder.request({ type: 'publish', channel, data: chunk }).catch(() => {}); // closed mid-request
    i++;
  }
  t.diagnostic(`flooder closed after ${i} publishes of 60 KB`);
  assert.deepEqual(await flooder.waitClosed(), { code: 1008, reason: 'sending faster than co-members can receive' });
  assert.equal(slow.closeInfo, null, 'the slow member is still connected');
  honestSent.push(k);
  await honest.request({ type: 'publish', channel, data: { k } });
  slow.ws.resume();
  await slow.waitFor((f) => f.type === 'message' && f.data?.k === k, 15_000, 'the last well-behaved message');
  const got = slow.frames.filter((r) => r.frame.type === 'message' && r.frame.from === honest.peerId).map((r) => r.frame.data.k as number);
  assert.deepEqual(got, honestSent, 'every well-behaved message, once, in order');
  await slow.barrier();
  assert.equal(slow.closeInfo, null);
  slow.close();
  honest.close();
});
