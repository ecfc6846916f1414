// The JWT path (docs/protocol.md §2.2): claims, 4003 at connect, stable peer ids and their
// reuse, expiry during a session, and the demo's GET /api/token route.
import assert from 'node:assert/strict';
import { SignJWT, decodeJwt, decodeProtectedHeader } from 'jose';
import { mintToken } from '../../server/index.ts';
import { publicKeyId } from '../../server/keys.ts';
import { RawClient, room, serve, test } from './helpers.ts';

const SECRET = 'sk_live_jwt_test';
/** The page origin /api/token is turned on for in these tests. */
const APP = 'http://app.example:8000';
const fromApp = { headers: { Origin: APP } };
const ALL = ['subscribe', 'publish', 'presence', 'send'] as const;

test('§8.1 4003: a channels claim outside the signing key\'s patterns is refused at connect', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET, channels: ['demo-*'] }] });
  const bad = await RawClient.open(server.wsUrl, { token: await mintToken({ secret: SECRET, room: 'other', ttlSeconds: 60 }) });
  assert.equal((await bad.waitClosed()).code, 4003);
  assert.equal(bad.frames.length, 0);
  const good = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, channels: ['demo-1', 'demo-x-*'], ttlSeconds: 60 }) });
  assert.ok(good.welcome);
  good.close();
});

test('§8.1 4003: an empty or malformed channels claim is refused at connect', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET }] });
  for (const channels of [[], ['ok', '']]) {
    const c = await RawClient.open(server.wsUrl, { token: await mintToken({ secret: SECRET, channels, ttlSeconds: 60 }) });
    assert.equal((await c.waitClosed()).code, 4003, JSON.stringify(channels));
  }
});

test('§8.1 the peer id comes from the peerId claim, else sub, else a fresh UUID', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET }] });
  const a = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, ttlSeconds: 60, peerId: 'alice', sub: 'user-1' }) });
  const b = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, ttlSeconds: 60, sub: 'user-2' }) });
  const c = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, ttlSeconds: 60 }) });
  assert.equal(a.peerId, 'alice');
  assert.equal(b.peerId, 'user-2');
  assert.match(c.peerId, /^[0-9a-f-]{36}$/);
  for (const x of [a, b, c]) x.close();
});

test('§2.6 a reused peerId closes the old socket and co-members hear left before the new joined', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET, actions: [...ALL] }] });
  const channel = room();
  const token = await mintToken({ secret: SECRET, ttlSeconds: 60, peerId: 'alice' });
  const observer = await RawClient.connect(server.wsUrl, { token: await mintToken({ secret: SECRET, ttlSeconds: 60 }) });
  const first = await RawClient.connect(server.wsUrl, { token });
  await observer.join(channel);
  await first.join(channel);
  const second = await RawClient.connect(server.wsUrl, { token });
  assert.equal((await first.waitClosed()).code, 4020);
  await second.join(channel);
  const left = await observer.waitFor((f) => f.type === 'presence' && f.left?.[0]?.peerId === 'alice');
  const isAliceJoin = (f: Record<string, any>): boolean => f.type === 'presence' && f.joined?.[0]?.peerId === 'alice';
  await observer.waitFor(() => observer.count(isAliceJoin) === 2, 3000, 'the second joined for alice');
  const joins = observer.frames.filter((r) => isAliceJoin(r.frame));
  assert.ok(joins[0]!.seq < left.seq && left.seq < joins[1]!.seq, 'left arrives between the two joins');
  // Directs to the id now reach the new socket.
  await observer.request({ type: 'send', to: 'alice', data: 'hi' });
  assert.equal((await second.waitFor((f) => f.type === 'direct')).frame.data, 'hi');
  observer.close();
  second.close();
});

test('§5 4002: a connection is closed with 4002 when its token expires', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET }] });
  const token = await mintToken({ secret: SECRET, ttlSeconds: 1 });
  const c = await RawClient.connect(server.wsUrl, { token });
  assert.equal(typeof c.welcome?.expiresAt, 'number');
  assert.equal((await c.waitClosed(4000)).code, 4002);
});

test('§8.1 the origin rules of the signing key apply to its tokens', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET, allowedOrigins: ['https://app.example'] }] });
  const token = await mintToken({ secret: SECRET, ttlSeconds: 60 });
  const refused = await RawClient.open(server.wsUrl, { token, origin: 'https://other.example' });
  assert.equal((await refused.waitClosed()).code, 4001);
  const ok = await RawClient.connect(server.wsUrl, { token, origin: 'https://app.example' });
  assert.ok(ok.welcome);
  ok.close();
});

test('§8.1 the kid header picks the signing key among several; a custom secret field is honoured', async (t) => {
  const server = await serve(t, { keys: [{ key: 'sk_live_a' }, { key: 'sk_live_b', secret: 'b-secret-value' }] });
  const viaKid = await mintToken({ secret: 'b-secret-value', keyId: publicKeyId('sk_live_b'), ttlSeconds: 60 });
  const withoutKid = await mintToken({ secret: 'sk_live_a', ttlSeconds: 60 });
  for (const token of [viaKid, withoutKid]) {
    const c = await RawClient.connect(server.wsUrl, { token });
    assert.ok(c.welcome);
    c.close();
  }
});

test('mintToken writes HS256 with the documented claims', async () => {
  const token = await mintToken({
    secret: SECRET,
    keyId: SECRET,
    room: 'r1',
    ttlSeconds: 120,
    now: 1_000_000,
    permissions: ['subscribe'],
    metadata: { a: 1 },
    peerMetadata: { name: 'n' },
    peerId: 'p1',
  });
  assert.deepEqual(decodeProtectedHeader(token), { alg: 'HS256', typ: 'JWT', kid: SECRET });
  assert.deepEqual(decodeJwt(token), {
    channels: ['r1'],
    permissions: ['subscribe'],
    metadata: { a: 1 },
    peerMetadata: { name: 'n' },
    peerId: 'p1',
    iat: 1_000_000,
    exp: 1_000_120,
  });
});

test('GET /api/token?room= mints a token for the dev secret key that connects to that room only', async (t) => {
  const server = await serve(t, { tokenTtl: 300, tokenOrigins: [APP] });
  const channel = room();
  const res = await fetch(`${server.httpUrl}/api/token?room=${channel}&name=Ann`, fromApp);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), APP);
  const body = (await res.json()) as { token: string; expiresAt: number };
  const claims = decodeJwt(body.token);
  assert.equal(claims.exp, body.expiresAt);
  assert.ok(Math.abs(body.expiresAt - (Date.now() / 1000 + 300)) < 5);
  assert.deepEqual(claims.peerMetadata, { name: 'Ann' });
  const c = await RawClient.connect(server.wsUrl, { token: body.token });
  assert.equal(c.welcome?.expiresAt, body.expiresAt);
  assert.equal((await c.request({ type: 'subscribe', channel })).type, 'ack');
  assert.equal((await c.request({ type: 'subscribe', channel: room() })).code, 'channel_not_authorized');
  c.close();
});

test('GET /api/token: ttl parameter, 400 without a room or with a bad ttl, 204 preflight', async (t) => {
  const server = await serve(t, { tokenOrigins: [APP] });
  const short = (await (await fetch(`${server.httpUrl}/api/token?room=r&ttl=5`, fromApp)).json()) as { expiresAt: number };
  assert.ok(Math.abs(short.expiresAt - (Date.now() / 1000 + 5)) < 3);
  for (const q of ['', '?room=', '?room=r&ttl=0', '?room=r&ttl=abc', '?room=r&ttl=100000']) {
    const res = await fetch(`${server.httpUrl}/api/token${q}`, fromApp);
    assert.equal(res.status, 400, q);
    assert.equal(res.headers.get('access-control-allow-origin'), APP);
  }
  const pre = await fetch(`${server.httpUrl}/api/token`, { method: 'OPTIONS', ...fromApp });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), APP);
  assert.equal((await fetch(`${server.httpUrl}/api/token?room=r`, { method: 'POST', ...fromApp })).status, 405);
});

test('GET /api/token without any secret key configured → 404', async (t) => {
  const server = await serve(t, { keys: [{ key: 'pk_live_only' }], tokenOrigins: [APP] });
  assert.equal((await fetch(`${server.httpUrl}/api/token?room=r`, fromApp)).status, 404);
});

test('issue 16.5: /api/token is off by default, and when on answers only the origins it was turned on for', async (t) => {
  const off = await serve(t);
  for (const init of [{}, fromApp, { method: 'OPTIONS', ...fromApp }]) {
    const res = await fetch(`${off.httpUrl}/api/token?room=r`, init);
    assert.equal(res.status, 404, JSON.stringify(init));
    assert.equal(res.headers.get('access-control-allow-origin'), null, 'no page can read the answer');
    assert.match(((await res.json()) as { error: string }).error, /--token-origins/);
  }
  assert.equal(off.tokenStatus, '/api/token off');

  const on = await serve(t, { tokenOrigins: [APP, 'http://localhost:*'] });
  assert.equal(on.tokenStatus, `/api/token on for ${APP}, http://localhost:*`);
  for (const origin of ['https://evil.example', 'http://app.example:8001', 'null', undefined]) {
    for (const method of ['GET', 'OPTIONS']) {
      const res = await fetch(`${on.httpUrl}/api/token?room=r`, { method, ...(origin ? { headers: { Origin: origin } } : {}) });
      assert.equal(res.status, 403, `${method} from ${origin}`);
      assert.equal(res.headers.get('access-control-allow-origin'), null, `${method} from ${origin}: no CORS`);
    }
  }
  const pattern = await fetch(`${on.httpUrl}/api/token?room=r`, { headers: { Origin: 'http://localhost:5173' } });
  assert.equal(pattern.status, 200);
  assert.equal(pattern.headers.get('access-control-allow-origin'), 'http://localhost:5173');
  assert.equal(pattern.headers.get('vary'), 'Origin');
  await assert.rejects(serve(t, { tokenOrigins: ['*'] }), /"\*" is not allowed/);
});

/** Signs `claims` with HS256 under `secret` and the given header, by hand (no defaults added). */
async function signRaw(secret: string, claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(new TextEncoder().encode(secret));
}

test('issue 16.1: a token from /api/token names its key by public id and cannot be used to forge others', async (t) => {
  const server = await serve(t, { tokenOrigins: [APP] });
  const res = await fetch(`${server.httpUrl}/api/token?room=${room()}`, fromApp);
  const { token } = (await res.json()) as { token: string };
  const { kid } = decodeProtectedHeader(token);
  assert.equal(kid, publicKeyId('sk_live_local'));
  assert.ok(!token.includes('sk_live_local') && !JSON.stringify(decodeJwt(token)).includes('sk_live'), 'no key string in the token');
  // The attacker's guesses at the signing secret: the kid, and the dev secret key's well-known name.
  const exp = Math.floor(Date.now() / 1000) + 60;
  for (const secret of [String(kid), 'sk_live_local']) {
    for (const header of [{ alg: 'HS256', kid }, { alg: 'HS256' }]) {
      const forged = await signRaw(secret, { channels: ['*'], peerId: 'victim', exp }, header);
      const c = await RawClient.open(server.wsUrl, { token: forged });
      assert.equal((await c.waitClosed()).code, 4001, `signed with ${secret}, header ${JSON.stringify(header)}`);
      assert.equal(c.frames.length, 0, 'no welcome');
    }
  }
});

test('issue 16.4: a token without exp, or with alg none / HS384 / HS512, is refused with 4001', async (t) => {
  const server = await serve(t, { keys: [{ key: SECRET }] });
  const exp = Math.floor(Date.now() / 1000) + 60;
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const cases: [string, string][] = [
    ['no exp', await signRaw(SECRET, { channels: ['r'] })],
    ['alg none', `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ exp })}.`],
    ['HS384', await signRaw(SECRET, { exp }, { alg: 'HS384' })],
    ['HS512', await signRaw(SECRET, { exp }, { alg: 'HS512' })],
  ];
  for (const [what, token] of cases) {
    const c = await RawClient.open(server.wsUrl, { token });
    assert.equal((await c.waitClosed()).code, 4001, what);
    assert.equal(c.frames.length, 0, `${what}: no welcome`);
  }
  // the control: the same secret with HS256 and an exp is accepted
  const ok = await RawClient.connect(server.wsUrl, { token: await signRaw(SECRET, { exp }) });
  assert.ok(ok.welcome);
  ok.close();
});
