// docs/protocol.md §9 (TURN credentials) and the coturn the server runs for it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { executableOnPath } from '../../server/coturn.ts';
import { type IceServer, startCoturn, startServer, turnserverPath } from '../../server/index.ts';
import { stunAnswers } from '../../server/stun.ts';
import { DEV_KEY, RawClient, serve, test } from './helpers.ts';
import { turnAllocate } from './turn-client.ts';

const coturn = turnserverPath() !== null;
const needsCoturn = coturn ? {} : { skip: 'coturn (turnserver) is not installed' };

async function credentials(url: string, apiKey = DEV_KEY): Promise<IceServer[]> {
  const res = await fetch(`${url}?apiKey=${apiKey}`);
  assert.equal(res.status, 200);
  return (await res.json()) as IceServer[];
}

function turnEntries(servers: IceServer[]): IceServer[] {
  return servers.filter((s) => s.urls.startsWith('turn:'));
}

test('§10.43 GET credentials → 200 JSON array; every turn: entry has username <expiry>:<label>, expiry = now + TTL', async (t) => {
  const server = await serve(t, { turn: coturn, turnTtl: 3600 });
  const res = await fetch(`${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = (await res.json()) as IceServer[];
  assert.ok(Array.isArray(body));
  const turn = turnEntries(body);
  assert.deepEqual(turn.map((s) => s.urls.split('?')[1]), ['transport=udp', 'transport=tcp']);
  for (const s of turn) {
    const m = /^(\d+):([A-Za-z0-9._-]+)$/.exec(s.username ?? '');
    assert.ok(m, `username ${s.username}`);
    assert.ok(Math.abs(Number(m[1]) - (Date.now() / 1000 + 3600)) < 5, 'expiry is now + turnTtl');
    assert.equal(typeof s.credential, 'string');
  }
  assert.equal(new Set(turn.map((s) => `${s.username}/${s.credential}`)).size, 1, 'one username/credential shared by all entries');
});

test('§10.43 setTurnTtl changes the lifetime of credentials minted afterwards', async (t) => {
  const server = await serve(t);
  server.setTurnTtl(5);
  const [entry] = turnEntries(await credentials(server.turnCredentialsUrl));
  assert.ok(Math.abs(Number(entry!.username!.split(':')[0]) - (Date.now() / 1000 + 5)) < 3);
});

test('§10.44 credential = base64(HMAC-SHA1(static-auth-secret, username)) and coturn allocates a relay with it', needsCoturn, async (t) => {
  const server = await serve(t, { turn: true });
  assert.ok(server.turn, server.turnStatus);
  const servers = await credentials(server.turnCredentialsUrl);
  for (const s of turnEntries(servers)) {
    assert.equal(s.credential, createHmac('sha1', server.turn.secret).update(s.username!).digest('base64'));
    assert.ok(s.urls.includes(`127.0.0.1:${server.turn.port}`));
  }
  assert.ok(servers.some((s) => s.urls === `stun:127.0.0.1:${server.turn!.port}`));
  const [entry] = turnEntries(servers);
  const result = await turnAllocate({ port: server.turn.port, username: entry!.username!, credential: entry!.credential! });
  assert.deepEqual(result.ok, true, JSON.stringify(result));
});

test('§10.44 coturn rejects an expired credential from the endpoint with 401', needsCoturn, async (t) => {
  const server = await serve(t, { turn: true });
  assert.ok(server.turn, server.turnStatus);
  server.setTurnTtl(-60); // minted already expired: the same path a stale credential takes
  const [entry] = turnEntries(await credentials(server.turnCredentialsUrl));
  const result = await turnAllocate({ port: server.turn.port, username: entry!.username!, credential: entry!.credential! });
  assert.deepEqual(result, { ok: false, errorCode: 401, reason: 'Unauthorized' });
});

test('§10.44 coturn rejects a wrongly signed credential with 401', needsCoturn, async (t) => {
  const server = await serve(t, { turn: true });
  assert.ok(server.turn, server.turnStatus);
  const [entry] = turnEntries(await credentials(server.turnCredentialsUrl));
  const result = await turnAllocate({ port: server.turn.port, username: entry!.username!, credential: 'bm90IHRoZSBzZWNyZXQ=' });
  assert.equal(result.ok, false);
  assert.equal(!result.ok && result.errorCode, 401);
});

const uclient = executableOnPath('turnutils_uclient') !== null;

test('§10.44 turnutils_uclient (coturn\'s own client) relays with the credential', uclient ? {} : { skip: 'turnutils_uclient not installed' }, async (t) => {
  const server = await serve(t, { turn: true });
  assert.ok(server.turn, server.turnStatus);
  const [entry] = turnEntries(await credentials(server.turnCredentialsUrl));
  const { stdout } = await promisify(execFile)(
    'turnutils_uclient',
    ['-y', '-n', '1', '-m', '1', '-l', '50', '-u', entry!.username!, '-w', entry!.credential!, '-p', String(server.turn.port), '127.0.0.1'],
    { timeout: 20_000 },
  );
  assert.match(stdout, /Total lost packets 0 /);
});

test('§10.45 missing apiKey → 400 {"error":"Please specify API Key"}; unknown → 401 {"error":"Invalid API Key"}', async (t) => {
  const server = await serve(t);
  const missing = await fetch(server.turnCredentialsUrl);
  assert.equal(missing.status, 400);
  assert.equal(await missing.text(), '{"error":"Please specify API Key"}');
  const empty = await fetch(`${server.turnCredentialsUrl}?apiKey=`);
  assert.equal(empty.status, 400);
  const wrong = await fetch(`${server.turnCredentialsUrl}?apiKey=nope`);
  assert.equal(wrong.status, 401);
  assert.equal(await wrong.text(), '{"error":"Invalid API Key"}');
  const secret = await fetch(`${server.turnCredentialsUrl}?apiKey=sk_live_local`);
  assert.equal(secret.status, 401, 'secret keys are never TURN keys');
});

test('§10.45 keys of kind "turn" and publishable keys are accepted; other methods → 405', async (t) => {
  const server = await serve(t, { keys: [{ key: 'turn_key_1', kind: 'turn', label: 'team-a' }, { key: 'pk_live_x' }] });
  const [entry] = turnEntries(await credentials(server.turnCredentialsUrl, 'turn_key_1'));
  assert.match(entry!.username!, /:team-a$/);
  await credentials(server.turnCredentialsUrl, 'pk_live_x');
  const post = await fetch(`${server.turnCredentialsUrl}?apiKey=pk_live_x`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get('access-control-allow-origin'), '*');
});

test('issue 16.8: coturn gets its shared secret from a 0600 config file, not its command line', needsCoturn, async () => {
  const coturn = await startCoturn();
  try {
    assert.equal(statSync(coturn.configFile).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(coturn.configFile)).mode & 0o777, 0o700);
    // every process's argv, as `ps` shows it to any user of the machine
    const argvs = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return ''; // gone meanwhile
        }
      });
    assert.ok(argvs.some((a) => a.includes('turnserver') && a.includes(coturn.configFile)), 'coturn runs with the config file');
    assert.ok(!argvs.some((a) => a.includes(coturn.secret)), 'the secret is on no command line');
  } finally {
    await coturn.stop();
  }
  assert.equal(existsSync(dirname(coturn.configFile)), false, 'the config file is removed on stop');
});

test('issue 16.6: the credentials endpoint applies the key\'s allowedOrigins and suspended, like its WebSocket', async (t) => {
  const server = await serve(t, {
    keys: [
      { key: 'pk_live_site', allowedOrigins: ['https://app.example'] },
      { key: 'turn_site', kind: 'turn', allowedOrigins: ['https://app.example'] },
      { key: 'pk_live_gone', suspended: true },
    ],
  });
  for (const key of ['pk_live_site', 'turn_site']) {
    for (const origin of ['https://evil.example', undefined]) {
      const res = await fetch(`${server.turnCredentialsUrl}?apiKey=${key}`, origin ? { headers: { Origin: origin } } : {});
      assert.equal(res.status, 403, `${key} from ${origin}`);
      assert.doesNotMatch(await res.text(), /credential/, 'no credentials in the refusal');
    }
    const ok = await fetch(`${server.turnCredentialsUrl}?apiKey=${key}`, { headers: { Origin: 'https://app.example' } });
    assert.equal(ok.status, 200, key);
  }
  const suspended = await fetch(`${server.turnCredentialsUrl}?apiKey=pk_live_gone`);
  assert.equal(suspended.status, 403);
  assert.deepEqual(await suspended.json(), { error: 'Account suspended' });
});

test('§10.46 every response carries CORS headers, errors included; OPTIONS → 204', async (t) => {
  const server = await serve(t);
  for (const q of ['', '?apiKey=nope', `?apiKey=${DEV_KEY}`]) {
    const res = await fetch(`${server.turnCredentialsUrl}${q}`, { headers: { Origin: 'https://somewhere.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), '*', q);
  }
  const pre = await fetch(server.turnCredentialsUrl, {
    method: 'OPTIONS',
    headers: { Origin: 'https://somewhere.example', 'Access-Control-Request-Method': 'GET' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
  assert.match(pre.headers.get('access-control-allow-methods') ?? '', /GET/);
  assert.match(pre.headers.get('access-control-allow-headers') ?? '', /Content-Type/i);
});

test('§10.47 urls use stun:/turn:, each ≤ 512 chars, ≤ 16 entries (valid inside welcome.metadata.iceServers)', async (t) => {
  const server = await serve(t);
  const servers = await credentials(server.turnCredentialsUrl);
  assert.ok(servers.length >= 1 && servers.length <= 16);
  for (const s of servers) {
    const urls = Array.isArray(s.urls) ? s.urls : [s.urls];
    for (const u of urls) {
      assert.match(u, /^(stun|turn|turns):/);
      assert.ok(u.length <= 512);
    }
    assert.ok((s.username ?? '').length <= 1024 && (s.credential ?? '').length <= 1024);
  }
});

test('without coturn the endpoint keeps Metered\'s shape, pointing at the standard port 3478', async (t) => {
  const server = await serve(t, { turn: false });
  assert.equal(server.turn, null);
  assert.match(server.turnStatus, /off/);
  const servers = await credentials(server.turnCredentialsUrl);
  assert.deepEqual(servers.map((s) => s.urls), ['stun:127.0.0.1:3478', 'turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp']);
});

test('the server\'s coturn is stopped by close(), and two servers run side by side on different ports', needsCoturn, async (t) => {
  const a = await startServer();
  const b = await startServer();
  t.after(() => Promise.all([a.close(), b.close()]));
  assert.ok(a.turn && b.turn, `${a.turnStatus} / ${b.turnStatus}`);
  assert.notEqual(a.turn.port, b.turn.port);
  assert.ok(await stunAnswers(a.turn.port));
  await a.close();
  assert.equal(await stunAnswers(a.turn.port, '127.0.0.1', 300), false, 'coturn answered after close()');
  assert.ok(await stunAnswers(b.turn.port), 'the other server\'s coturn is untouched');
  await b.close();
});

test('turnServer: an external coturn is reused across a signalling restart and left running', needsCoturn, async (t) => {
  const external = await startCoturn();
  t.after(() => external.stop());
  const first = await startServer({ turnServer: external });
  t.after(() => first.close());
  assert.deepEqual(first.turn, { port: external.port, secret: external.secret, realm: external.realm });
  const port = first.port;
  await first.close();
  const second = await startServer({ port, turnServer: external });
  t.after(() => second.close());
  const [entry] = turnEntries(await credentials(second.turnCredentialsUrl));
  const result = await turnAllocate({ port: external.port, username: entry!.username!, credential: entry!.credential! });
  assert.equal(result.ok, true);
  await second.close();
  assert.ok(await stunAnswers(external.port), 'external coturn still running');
});

test('§8.3 /api/token puts the coturn credentials into welcome.metadata.iceServers', needsCoturn, async (t) => {
  const server = await serve(t, { turn: true, tokenOrigins: ['http://app.example'] });
  assert.ok(server.turn, server.turnStatus);
  const { token } = (await (await fetch(`${server.httpUrl}/api/token?room=r1`, { headers: { Origin: 'http://app.example' } })).json()) as { token: string };
  const c = await RawClient.connect(server.wsUrl, { token });
  const ice = c.welcome?.metadata?.iceServers as IceServer[];
  assert.ok(Array.isArray(ice) && ice.length === 3);
  const [entry] = turnEntries(ice);
  assert.equal((await turnAllocate({ port: server.turn.port, username: entry!.username!, credential: entry!.credential! })).ok, true);
  c.close();
});
