// The opt-in fault mode faultLatePresence (server/fault-late-presence.ts): a newcomer's direct
// messages, up to its first SDP description, reach the room before the presence that
// announces it; without the option the order is the normal one (requests.test.ts §10.14).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { RawClient, room, serve, test } from './helpers.ts';

test('fault mode: the newcomer\'s directs up to its description arrive before its presence; then presence, then the rest', async (t) => {
  const server = await serve(t, { faultLatePresence: true });
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  const b = await RawClient.connect(server.wsUrl);
  await b.join(channel);
  const meta = { __meteredTrackMeta: { trackId: 't', metadata: { role: 'camera' } } };
  const offer = { type: 'rtc-description', description: { type: 'offer', sdp: 'v=0' } };
  const ice = { type: 'rtc-ice', candidate: null };
  for (const data of [meta, offer, ice]) b.send({ type: 'send', to: a.peerId, data, requestId: randomUUID() });
  const lastDirect = await a.waitFor((f) => f.type === 'direct' && f.data?.type === 'rtc-ice');
  const delta = await a.waitFor((f) => f.type === 'presence' && f.joined?.[0]?.peerId === b.peerId);
  const directs = a.frames.filter((r) => r.frame.type === 'direct').map((r) => r.seq);
  assert.equal(directs.length, 3);
  assert.ok(directs[0]! < delta.seq && directs[1]! < delta.seq, 'metadata and offer before presence');
  assert.ok(delta.seq < lastDirect.seq, 'the candidate after presence');
  a.close();
  b.close();
});

test('fault mode: a newcomer that sends no description is announced after the hold expires', async (t) => {
  const server = await serve(t, { faultLatePresence: true });
  const channel = room();
  const a = await RawClient.connect(server.wsUrl);
  await a.join(channel);
  const b = await RawClient.connect(server.wsUrl);
  await b.join(channel);
  const delta = await a.waitFor((f) => f.type === 'presence' && f.joined?.[0]?.peerId === b.peerId, 5000);
  assert.deepEqual(delta.frame.joined, [{ peerId: b.peerId }]);
  a.close();
  b.close();
});
