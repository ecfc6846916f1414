// The key file: the checked-in example loads and means what server/README.md says,
// the dev default, and clear errors for broken files.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyStore, matchPattern } from '../../server/keys.ts';
import { startServer } from '../../server/index.ts';
import { RawClient, room, serve, test } from './helpers.ts';

const EXAMPLE = new URL('../../server/keys.example.json', import.meta.url).pathname;
const ORIGIN = 'http://127.0.0.1:8000';

test('keys.example.json: the publishable key with `send` can negotiate (send → ack)', async (t) => {
  const server = await serve(t, { keys: EXAMPLE });
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_demo_calls', origin: ORIGIN });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_demo_calls', origin: ORIGIN });
  assert.equal((await a.request({ type: 'subscribe', channel: 'demo-room-1' })).type, 'ack');
  assert.equal((await a.request({ type: 'send', to: b.peerId, data: 'offer' })).type, 'ack');
  assert.equal((await a.request({ type: 'subscribe', channel: 'other' })).code, 'channel_not_authorized');
  a.close();
  b.close();
});

test('keys.example.json: the publishable key without `send` (Metered\'s default) gets action_not_permitted', async (t) => {
  const server = await serve(t, { keys: EXAMPLE });
  const a = await RawClient.connect(server.wsUrl, { key: 'pk_live_chat_only' });
  const b = await RawClient.connect(server.wsUrl, { key: 'pk_live_chat_only' });
  assert.equal((await a.request({ type: 'send', to: b.peerId, data: 'offer' })).code, 'action_not_permitted');
  assert.equal((await a.request({ type: 'publish', channel: 'chat-1', data: 'hi' })).type, 'ack');
  a.close();
  b.close();
});

test('keys.example.json: origins are enforced, the secret key is no WS credential, the turn key only works for TURN', async (t) => {
  const server = await serve(t, { keys: EXAMPLE });
  for (const [key, origin] of [
    ['pk_live_demo_calls', 'https://elsewhere.example'],
    ['sk_live_backend_signing', undefined],
    ['turn_live_demo', undefined],
  ] as const) {
    const c = await RawClient.open(server.wsUrl, { key, ...(origin ? { origin } : {}) });
    assert.equal((await c.waitClosed()).code, 4001, key);
  }
  assert.equal((await fetch(`${server.turnCredentialsUrl}?apiKey=turn_live_demo`)).status, 200);
});

test('without a key file only pk_live_local is a client key, on any origin, with every action', async (t) => {
  const server = await serve(t);
  const a = await RawClient.connect(server.wsUrl, { origin: 'https://anything.example' });
  const b = await RawClient.connect(server.wsUrl);
  for (const frame of [
    { type: 'subscribe', channel: room() },
    { type: 'publish', channel: room(), data: 1 },
    { type: 'send', to: b.peerId, data: 1 },
  ]) {
    assert.equal((await a.request(frame)).type, 'ack', frame.type);
  }
  a.close();
  b.close();
});

test('a broken key file is refused at start with a message naming the problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const cases: [unknown, RegExp][] = [
    [{ keys: [{ key: 'pk_1', actions: ['fly'] }] }, /unknown action "fly"/],
    [{ keys: [{ key: 'pk_1' }, { key: 'pk_1' }] }, /duplicate key/],
    [{ keys: [{ key: 'pk_1', limits: { messagesPerSecond: -1 } }] }, /messagesPerSecond/],
    [{ nokeys: true }, /expected \{"keys"/],
  ];
  for (const [content, message] of cases) {
    const file = join(dir, 'k.json');
    writeFileSync(file, JSON.stringify(content));
    await assert.rejects(startServer({ turn: false, keys: file }), message);
  }
  await assert.rejects(startServer({ turn: false, keys: join(dir, 'missing.json') }), /ENOENT/);
});

test('issue 16.8: key-file errors never echo a key or secret', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'keys-'));
  const file = join(dir, 'k.json');
  const cases = [
    '{"keys":[{"key":"sk_live_TOPSECRET1","secret":"hmac-TOPSECRET2", }]}', // a trailing comma
    '{"keys":[{"key":"sk_live_TOPSECRET1"} {"key":"pk_1"}]}',
    '{"keys":[{"key": sk_live_TOPSECRET1}]}', // JSON.parse quotes the text around this one
    JSON.stringify({ keys: [{ key: 'sk_live_TOPSECRET1' }, { key: 'sk_live_TOPSECRET1' }] }),
  ];
  for (const text of cases) {
    writeFileSync(file, text);
    const err = await startServer({ turn: false, keys: file }).then(
      () => assert.fail('started'),
      (e: Error) => e,
    );
    assert.doesNotMatch(err.message, /TOPSECRET|sk_live_/, err.message);
    assert.match(err.message, /not valid JSON|duplicate key/, err.message);
  }
});

test('channel patterns: * matches any run of characters', () => {
  assert.ok(matchPattern('demo-room-*', 'demo-room-1'));
  assert.ok(matchPattern('*', 'anything'));
  assert.ok(matchPattern('a*b*c', 'a-x-b-y-c'));
  assert.ok(!matchPattern('a*b*c', 'a-x-c'));
  assert.ok(!matchPattern('demo-room-*', 'demo-roo'));
  assert.ok(!matchPattern('lobby', 'lobby2'));
  assert.equal(KeyStore.from(undefined).get('pk_live_local')?.actions.has('send'), true);
});
