// docs/protocol.md §2–§3 (connecting, the welcome) and every connect-time refusal (§8.1).
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { mintToken } from '../../server/index.ts';
import { DEV_KEY, eventually, RawClient, room, serve, test } from './helpers.ts';

const SECRET_KEY = 'sk_live_test_signing';

test('§10.1 GET /v1?key=<pk> with no Sec-WebSocket-Protocol completes the upgrade', async (t) => {
  const server = await serve(t);
  const ws = new WebSocket(`${server.wsUrl}/v1?key=${DEV_KEY}`);
  const opened = new Promise((r) => ws.once('open', r));
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    ws.once('upgrade', resolve);
    ws.once('error', reject);
  });
  assert.equal(response.statusCode, 101);
  assert.equal(response.headers['sec-websocket-protocol'], undefined);
  await opened;
  assert.equal(ws.protocol, '');
  ws.close();
});

test('§10.2 the first frame is welcome with peerId, serverTime, maxMessageSize and expiresAt null for a pk key', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  const first = c.frames[0]?.frame;
  assert.ok(first);
  assert.equal(first.type, 'welcome');
  assert.equal(typeof first.peerId, 'string');
  assert.ok(first.peerId.length > 0 && first.peerId.length <= 128);
  assert.equal(typeof first.serverTime, 'number');
  assert.ok(Math.abs(first.serverTime - Date.now()) < 5000, 'serverTime is epoch milliseconds');
  assert.equal(first.maxMessageSize, 65536);
  assert.ok('expiresAt' in first, 'expiresAt key must be present');
  assert.equal(first.expiresAt, null);
  assert.equal(first.metadata, undefined, 'pk keys get no metadata');
  c.close();
});

test('§10.2 welcome announces the configured maxMessageSize', async (t) => {
  const server = await serve(t, { maxMessageSize: 1000 });
  const c = await RawClient.connect(server.wsUrl);
  assert.equal(c.welcome?.maxMessageSize, 1000);
  c.close();
});

test('§10.3 welcome arrives well within 10 s of the upgrade', async (t) => {
  const server = await serve(t);
  const c = await RawClient.open(server.wsUrl);
  const opened = performance.now();
  await c.waitFor((f) => f.type === 'welcome', 10_000);
  const ms = performance.now() - opened;
  t.diagnostic(`upgrade → welcome: ${ms.toFixed(2)} ms (target < 100 ms)`);
  assert.ok(ms < 10_000);
  c.close();
});

test('§10.4 two connections with one pk key get different peerIds, and a reconnect gets a new one', async (t) => {
  const server = await serve(t);
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  assert.notEqual(a.peerId, b.peerId);
  const first = a.peerId;
  await a.close();
  const again = await RawClient.connect(server.wsUrl);
  assert.notEqual(again.peerId, first);
  assert.notEqual(again.peerId, b.peerId);
  b.close();
  again.close();
});

test('§10.5 ?token=<JWT> connects; expiresAt is the exp claim in seconds and metadata the metadata claim', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET_KEY, kind: 'secret' }] });
  const metadata = { iceServers: [{ urls: 'stun:127.0.0.1:3478' }], note: 'hello' };
  const now = Math.floor(Date.now() / 1000);
  const token = await mintToken({ secret: SECRET_KEY, room: 'r1', ttlSeconds: 600, now, metadata });
  const c = await RawClient.connect(server.wsUrl, { token });
  assert.equal(c.welcome?.expiresAt, now + 600);
  assert.deepEqual(c.welcome?.metadata, metadata);
  c.close();
});

test('§10.6 no welcome is sent twice on one socket', async (t) => {
  const server = await serve(t);
  const c = await RawClient.connect(server.wsUrl);
  await c.join(room());
  await c.request({ type: 'publish', channel: 'x', data: 1 });
  await c.barrier();
  assert.equal(c.count((f) => f.type === 'welcome'), 1);
  c.close();
});

test('§10.7 unknown key: upgrade accepted, then close 4001 with no welcome', async (t) => {
  const server = await serve(t);
  const c = await RawClient.open(server.wsUrl, { key: 'pk_live_nope' });
  const closed = await c.waitClosed();
  assert.equal(closed.code, 4001);
  assert.equal(c.frames.length, 0);
});

test('§10.8 an Origin outside allowedOrigins is closed with 4001', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_site', allowedOrigins: ['https://app.example'] }] });
  const c = await RawClient.open(server.wsUrl, { key: 'pk_live_site', origin: 'https://evil.example' });
  assert.equal((await c.waitClosed()).code, 4001);
  assert.equal(c.frames.length, 0);
});

test('§10.8 an Origin inside allowedOrigins (exact or * pattern) is welcomed', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_site', allowedOrigins: ['https://app.example', 'http://127.0.0.1:*'] }] });
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_site', origin: 'https://app.example' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_site', origin: 'http://127.0.0.1:8000' });
  assert.ok(a.welcome && b.welcome);
  a.close();
  b.close();
});

test('§10.8 a missing Origin is refused (4001) for a key with allowedOrigins, accepted for one without', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_site', allowedOrigins: ['https://app.example'] }, { key: 'pk_live_open' }] });
  const refused = await RawClient.open(server.wsUrl, { key: 'pk_live_site' });
  assert.equal((await refused.waitClosed()).code, 4001);
  const open = await RawClient.connect(server.wsUrl, { key: 'pk_live_open' });
  assert.ok(open.welcome);
  open.close();
});

test('§10.9 an expired JWT is closed with 4002', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET_KEY }] });
  const token = await mintToken({ secret: SECRET_KEY, room: 'r', ttlSeconds: -10 });
  const c = await RawClient.open(server.wsUrl, { token });
  assert.equal((await c.waitClosed()).code, 4002);
  assert.equal(c.frames.length, 0);
});

test('§10.9 a JWT with a bad signature is closed with 4001', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET_KEY }] });
  const token = await mintToken({ secret: 'sk_live_someone_else', room: 'r', ttlSeconds: 600 });
  const c = await RawClient.open(server.wsUrl, { token });
  assert.equal((await c.waitClosed()).code, 4001);
  const garbage = await RawClient.open(server.wsUrl, { token: 'not.a.jwt' });
  assert.equal((await garbage.waitClosed()).code, 4001);
});

test('§10.9 ?key=sk_… (a secret key used as a client credential) is closed with 4001', async (t) => {
  const server = await serve(t);
  const c = await RawClient.open(server.wsUrl, { key: 'sk_live_local' });
  assert.equal((await c.waitClosed()).code, 4001);
  assert.equal(c.frames.length, 0);
});

test('§10.10 neither key nor token is closed with 4001', async (t) => {
  const server = await serve(t);
  const c = await RawClient.open(server.wsUrl, { query: '' });
  assert.equal((await c.waitClosed()).code, 4001);
  assert.equal(c.frames.length, 0);
});

test('§10.10 a path other than /v1 is refused with HTTP 404', async (t) => {
  const server = await serve(t);
  for (const path of ['/v2', '/', '/v1/extra']) {
    await assert.rejects(RawClient.open(server.wsUrl, { path }), /HTTP 404/, path);
  }
});

test('§5 4010: connections beyond the key\'s maxConnections are closed with 4010 and get no welcome', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_small', limits: { maxConnections: 2 } }] });
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_small' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_small' });
  const c = await RawClient.open(server.wsUrl, { key: 'pk_live_small' });
  assert.equal((await c.waitClosed()).code, 4010);
  assert.equal(c.frames.length, 0);
  await a.close();
  // The slot is free again once a connection ends.
  await new Promise<void>((resolve, reject) => {
    const retry = async (n: number): Promise<void> => {
      const d = await RawClient.open(server.wsUrl, { key: 'pk_live_small' });
      const outcome = await Promise.race([d.waitFor((f) => f.type === 'welcome').then(() => 'welcome'), d.closed.then(() => 'closed')]);
      if (outcome === 'welcome') {
        d.close();
        return resolve();
      }
      if (n === 0) return reject(new Error('slot never freed'));
      return retry(n - 1);
    };
    void retry(20);
  });
  b.close();
});

test('§5 4012: a suspended key is closed with 4012', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_suspended', suspended: true }] });
  const c = await RawClient.open(server.wsUrl, { key: 'pk_live_suspended' });
  assert.equal((await c.waitClosed()).code, 4012);
});

test('§10.7 refused sockets are counted as accepted connections and then freed', async (t) => {
  const server = await serve(t);
  const c = await RawClient.open(server.wsUrl, { key: 'pk_live_nope' });
  await c.waitClosed();
  assert.equal(server.stats().connectionsAccepted, 1);
  await eventually(() => server.stats().openSockets === 0, 3000, 'the refused socket to be freed');
});

test('issue 16.9: one client address cannot use up a key\'s connections; other addresses still get in', async (t) => {
  const server = await serve(t, { maxConnectionsPerAddress: 2, limitLoopback: true });
  const a1 = await RawClient.connect(server.wsUrl);
  const a2 = await RawClient.connect(server.wsUrl);
  const a3 = await RawClient.open(server.wsUrl);
  assert.deepEqual(await a3.waitClosed(), { code: 4010, reason: 'too many connections from this address' });
  assert.equal(a3.frames.length, 0, 'no welcome');
  // another client machine is not affected
  const b = await RawClient.connect(server.wsUrl, { localAddress: '127.0.0.2' });
  assert.ok(b.welcome);
  // a slot freed is a slot again
  await a1.close();
  const a4 = await RawClient.connect(server.wsUrl);
  assert.ok(a4.welcome);
  for (const c of [a2, b, a4]) c.close();
});

test('issue 16.9: loopback clients are exempt from the per-address limit unless limitLoopback', async (t) => {
  const server = await serve(t, { maxConnectionsPerAddress: 1 });
  const clients = [await RawClient.connect(server.wsUrl), await RawClient.connect(server.wsUrl)];
  assert.ok(clients.every((c) => c.welcome));
  for (const c of clients) c.close();
});
