// The local server under abuse from raw clients, all at once: thousands of connects and
// disconnects, malformed and deeply nested JSON, binary frames, giant frames, floods,
// half-open HTTP upgrades and upgraded sockets that never read; and (issue 16) a flooder
// publishing big messages into a room with a slow member, directs and publishes from
// another app aimed at the pair, and takeovers of the pair's peer ids (from another app,
// and from a key at its connection limit). Meanwhile two well-behaved clients exchange
// messages; every one must arrive, in order, and a slow member gets them all too. Afterwards the
// abusers are gone from the server's books and its heap (after GC) is back near where it
// started. (`npm run bench:server` runs the longer soak with the same kinds of abuse.)
import assert from 'node:assert/strict';
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { setTimeout as pace } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { eventually, RawClient, serve, test } from './helpers.ts';
import { ACTIONS } from '../../server/keys.ts';
import { mintToken } from '../../server/jwt.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ALL = [...ACTIONS];
const ABUSE = 'pk_live_abuse';
/** The big flooder's key: a rate limit it stays under, so only the fan-out rule can stop it. */
const FLOODER = 'pk_live_flooder';
/** Signs the well-behaved pair's tokens (stable peer ids good-a, good-b); the abusers above share its app. */
const GOOD = 'sk_live_good';
/** Another app: its clients must never reach the pair. */
const OTHER_APP = 'pk_live_other_app';
const OTHER_APP_SIGNER = 'sk_live_other_app';
/** Same app as the pair, at its connection limit: its takeovers must be refused before they evict. */
const CAPPED = 'sk_live_capped';
const token = (secret: string, peerId: string) => mintToken({ secret, peerId, ttlSeconds: 600 });
/** The abuse lasts at least this long, and until this many connect/disconnect cycles are done. */
const ABUSE_MS = 3000;
const CHURN = 1000;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Runs `fn` over and over while `going()`, `width` at a time. */
async function pool(going: () => boolean, width: number, fn: () => Promise<void>): Promise<number> {
  let done = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (going()) {
        await fn().catch(() => {});
        done++;
      }
    }),
  );
  return done;
}

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    ws.once('open', () => resolve(ws));
    ws.once('close', () => reject(new Error('closed before open')));
  });
}
const closed = (ws: WebSocket) =>
  new Promise<number>((r) => (ws.readyState === WebSocket.CLOSED ? r(-1) : ws.once('close', (code) => r(code))));

test('abuse from raw clients: well-behaved clients unaffected, no socket left behind, heap back to where it was', { timeout: 60_000 }, async (t) => {
  const server = await serve(t, {
    keys: [
      { key: GOOD, app: 'shared', actions: ALL, limits: { messagesPerSecond: 100_000 } }, // the well-behaved pair is not rate-limited
      { key: ABUSE, app: 'shared', actions: ALL, limits: { messagesPerSecond: 50, maxConnections: 5000 } },
      { key: FLOODER, app: 'shared', actions: ALL, limits: { messagesPerSecond: 200 } },
      { key: CAPPED, app: 'shared', actions: ALL, limits: { maxConnections: 1 } },
      { key: OTHER_APP, app: 'other', actions: ALL },
      { key: OTHER_APP_SIGNER, app: 'other', actions: ALL },
    ],
    pingIntervalMs: 3000, // dead sockets (the stalled abusers) are reaped within 6 s; short enough to happen here
    maxBufferedBytes: 256 * 1024,
  });
  const abuseUrl = `${server.wsUrl}/v1?key=${ABUSE}`;

  // two well-behaved clients in one room, with stable peer ids (what a takeover would aim at)
  const a = await RawClient.connect(server.wsUrl, { token: await token(GOOD, 'good-a') });
  const b = await RawClient.connect(server.wsUrl, { token: await token(GOOD, 'good-b') });
  await a.join('good-room');
  await b.join('good-room');
  // the capped key's one connection, held for the whole test
  const cappedHolder = await RawClient.connect(server.wsUrl, { token: await token(CAPPED, 'capped-1') });
  const otherAppUrl = `${server.wsUrl}/v1?key=${OTHER_APP}`;
  /** One round of abuse while the pair talks; checks the pair, the limits and the clean-up. */
  const round = async (churnTarget: number) => {
    a.frames.length = 0;
    b.frames.length = 0;
    const minEnd = Date.now() + ABUSE_MS;
    const going = () => Date.now() < minEnd || counts.churn < churnTarget;
    const counts = {
      churn: 0, malformed: 0, giant: 0, giantClosed: 0, flood: 0, floodClosed: 0, halfOpen: 0, stalled: 0,
      bigFlooders: 0, bigFloodersClosed: 0, slowPauses: 0, crossAppTries: 0, crossAppRefused: 0, takeovers: 0, takeoversRefused: 0,
    };
    // a slow member of the good room: it stops reading for a while, catches up, again and again
    const slow = await RawClient.connect(server.wsUrl, { key: ABUSE });
    await slow.join('good-room');
    await slow.join('flood-room');
    const halfOpen: net.Socket[] = [];
    const stalled: WebSocket[] = [];

    const good = (async () => {
      const sent: number[] = [];
      const latencies: number[] = [];
      for (let k = 0; going(); k++) {
        const at = performance.now();
        sent.push(k);
        a.send({ type: 'publish', channel: 'good-room', data: { k }, requestId: `g${k}` });
        await b.waitFor((f) => f.type === 'message' && f.data?.k === k, 5000, `good message ${k}`);
        latencies.push(performance.now() - at);
      }
      const got = b.frames.filter((r) => r.frame.type === 'message').map((r) => r.frame.data.k as number);
      return { sent, got, maxMs: Math.max(...latencies) };
    })();

    const abuse = [
      // connect, subscribe, disconnect, as fast as it goes
      pool(going, 16, async () => {
        const ws = await open(abuseUrl);
        ws.send(JSON.stringify({ type: 'subscribe', channel: `churn-${counts.churn % 50}`, requestId: 'c' }));
        ws.close();
        await closed(ws);
        counts.churn++;
      }),
      // malformed, deeply nested, binary, unknown, wrong-typed frames on one socket
      pool(going, 2, async () => {
        const ws = await open(abuseUrl);
        const junk = ['{', 'null', '[]', '"x"', '{"type":1}', '{"type":"subscribe","channel":{}}', '[['.repeat(5000), '{"a":'.repeat(3000), '{"type":"nope","requestId":"x"}'];
        for (let i = 0; i < 20 && ws.readyState === WebSocket.OPEN; i++) {
          ws.send(junk[i % junk.length]!);
          if (i % 7 === 0) ws.send(Buffer.from([0, 1, 2, 3]));
          counts.malformed++;
        }
        ws.close();
        await closed(ws);
      }),
      // frames far over the cap: closed with 1009, nothing buffered
      pool(going, 2, async () => {
        const ws = await open(abuseUrl);
        ws.send(JSON.stringify({ type: 'publish', channel: 'g', data: 'G'.repeat(300_000), requestId: 'g' }));
        counts.giant++;
        if ((await closed(ws)) === 1009) counts.giantClosed++;
      }),
      // floods: closed with 4011
      pool(going, 2, async () => {
        const ws = await open(abuseUrl);
        for (let i = 0; i < 400 && ws.readyState === WebSocket.OPEN; i++) ws.send('{"type":"ping"}');
        counts.flood++;
        if ((await closed(ws)) === 4011) counts.floodClosed++;
      }),
      // half-open HTTP: an upgrade request that never finishes
      pool(going, 1, async () => {
        if (halfOpen.length >= 200) return new Promise((r) => setTimeout(r, 50));
        const s = net.connect(server.port, '127.0.0.1');
        s.on('error', () => {});
        s.on('connect', () => s.write('GET /v1?key=pk_live_abuse HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'));
        halfOpen.push(s);
        counts.halfOpen++;
      }),
      // upgraded sockets that subscribe to the busy room and never read a byte
      pool(going, 1, async () => {
        if (stalled.length >= 20) return new Promise((r) => setTimeout(r, 50));
        const ws = await open(abuseUrl);
        ws.send(JSON.stringify({ type: 'subscribe', channel: 'good-room', requestId: 's' }));
        // every fourth one is also in the flooder's room (each one there costs the flood a fan-out copy)
        if (stalled.length % 4 === 0) ws.send(JSON.stringify({ type: 'subscribe', channel: 'flood-room', requestId: 's2' }));
        (ws as unknown as { _socket: net.Socket })._socket.pause();
        stalled.push(ws);
        counts.stalled++;
      }),
      // a flooder: 60 KB publishes into the slow member's other room, under its rate limit, until it is closed
      pool(going, 1, async () => {
        const ws = await open(`${server.wsUrl}/v1?key=${FLOODER}`);
        counts.bigFlooders++;
        const chunk = JSON.stringify({ type: 'publish', channel: 'flood-room', data: 'F'.repeat(60_000) });
        let code = 0;
        ws.once('close', (c) => (code = c));
        while (going() && ws.readyState === WebSocket.OPEN) {
          for (let i = 0; i < 8; i++) ws.send(chunk);
          await pace(200); // load generator pacing: 40 a second, a fifth of its limit
        }
        if (code === 1008) counts.bigFloodersClosed++;
        ws.terminate();
        await closed(ws);
      }),
      // the slow member: pauses reading for 400 ms, then reads until it has caught up
      pool(going, 1, async () => {
        slow.ws.pause();
        counts.slowPauses++;
        await pace(400); // load generator pacing: how long the slow member stops reading
        slow.ws.resume();
        await slow.barrier().catch(() => {});
        // keep only what the checks read: the pair's messages (the flood would make every wait a long scan)
        const kept = slow.frames.filter((r) => r.frame.from === 'good-a');
        slow.frames.length = 0;
        slow.frames.push(...kept);
      }),
      // another app: directs to good-a (good-b is taken in that app, now and then, by the takeover pool below),
      // and a publish into "its" good-room
      pool(going, 1, async () => {
        const ws = await open(otherAppUrl);
        const answers: string[] = [];
        ws.on('message', (d) => answers.push(String(d)));
        for (const to of ['good-a', 'good-a']) {
          ws.send(JSON.stringify({ type: 'send', to, data: { k: -1 }, requestId: `x-${to}` }));
          counts.crossAppTries++;
        }
        ws.send(JSON.stringify({ type: 'publish', channel: 'good-room', data: { k: -2 }, requestId: 'p' }));
        ws.send('{"type":"ping"}');
        await new Promise<void>((r) => {
          const check = () => (answers.some((x) => x.includes('"pong"')) ? r() : ws.once('message', check));
          ws.once('message', check);
          ws.once('close', () => r());
        });
        counts.crossAppRefused += answers.filter((x) => x.includes('peer_not_found')).length;
        ws.close();
        await closed(ws);
      }),
      // takeovers of good-b: from another app's token (its own namespace: no eviction), and from
      // the pair's app by a key at its limit (refused 4010 before it could evict)
      pool(going, 1, async () => {
        for (const signer of [OTHER_APP_SIGNER, CAPPED]) {
          const ws = new WebSocket(`${server.wsUrl}/v1?token=${await token(signer, 'good-b')}`);
          ws.on('error', () => {});
          counts.takeovers++;
          const code = await new Promise<number>((r) => {
            ws.once('message', () => (ws.close(), r(0)));
            ws.once('close', (c) => r(c));
          });
          if (signer === CAPPED && code === 4010) counts.takeoversRefused++;
          await closed(ws);
        }
      }),
    ];
    const [goodResult] = await Promise.all([good, ...abuse]);

    // every well-behaved message arrived, once, in order, and promptly
    assert.deepEqual(goodResult.got, goodResult.sent, 'the well-behaved messages, in order');
    assert.ok(goodResult.sent.length > 10, `only ${goodResult.sent.length} well-behaved messages got through in ${ABUSE_MS} ms`);
    assert.ok(goodResult.maxMs < 2000, `a well-behaved message took ${Math.round(goodResult.maxMs)} ms`);
    assert.equal(a.closeInfo, null);
    assert.equal(b.closeInfo, null);
    assert.equal(cappedHolder.closeInfo, null, 'the capped key\'s holder is still there (so its takeovers met the limit)');
    // the abuse happened, and met the limits
    assert.ok(counts.churn >= churnTarget, `churn cycles: ${counts.churn}`);
    assert.ok(counts.giantClosed > 0 && counts.giantClosed === counts.giant, `giant frames closed with 1009: ${counts.giantClosed}/${counts.giant}`);
    assert.ok(counts.floodClosed > 0, `floods closed with 4011: ${counts.floodClosed}/${counts.flood}`);
    // issue 16: the flooder went, the slow member stayed and got every good message in order
    assert.ok(counts.bigFloodersClosed > 0, `big flooders closed with 1008: ${counts.bigFloodersClosed}/${counts.bigFlooders}`);
    assert.equal(slow.closeInfo, null, 'the slow member was not disconnected');
    await slow.barrier();
    const slowGot = slow.frames.filter((r) => r.frame.type === 'message' && r.frame.from === 'good-a').map((r) => r.frame.data.k as number);
    assert.deepEqual(slowGot, goodResult.sent, 'the slow member got every well-behaved message, in order');
    slow.close();
    await slow.closed;
    // another app reached nobody; takeovers evicted nobody (a and b are still open: checked above)
    assert.ok(counts.crossAppTries > 0 && counts.crossAppRefused === counts.crossAppTries, `cross-app directs refused: ${counts.crossAppRefused}/${counts.crossAppTries}`);
    assert.equal(a.count((f) => f.type === 'direct') + b.count((f) => f.type === 'direct'), 0, 'no direct reached the pair');
    // (a publish of another app into "its" good-room would have broken the in-order check above)
    assert.ok(counts.takeoversRefused > 0 && counts.takeoversRefused * 2 === counts.takeovers, `capped takeovers refused with 4010: ${counts.takeoversRefused}/${counts.takeovers / 2}`);

    // the abusers go away: nothing of them stays on the server's books
    for (const s of halfOpen) s.destroy();
    for (const ws of stalled) ws.terminate();
    await eventually(() => server.stats().openSockets === 3, 8000, 'only the two well-behaved sockets and the capped holder open');
    assert.equal(server.stats().channels, 1, 'only the good room is left');
    // well-behaved clients still fine after it all
    await a.barrier();
    a.send({ type: 'publish', channel: 'good-room', data: { k: 'after' }, requestId: 'after' });
    await b.waitFor((f) => f.type === 'message' && f.data?.k === 'after');
    return counts;
  };

  // a first round warms everything up (code paths, buffer pools); the second is measured
  await round(CHURN);
  a.frames.length = 0;
  b.frames.length = 0;
  const heapBefore = heapAfterGc();
  const counts = await round(CHURN);

  // bounded memory: the heap is back where it was before the measured round (the test
  // clients' own records of thousands of frames are dropped first: they are not the server's)
  a.frames.length = 0;
  b.frames.length = 0;
  const heapAfter = heapAfterGc();
  const grew = heapAfter - heapBefore;
  t.diagnostic(`${JSON.stringify(counts)}; connections accepted ${server.stats().connectionsAccepted}; heap ${heapBefore} → ${heapAfter} bytes`);
  assert.ok(grew < 2 * 1024 * 1024, `heap grew by ${grew} bytes over ${counts.churn} connect/disconnect cycles`);
});
