// The local server under abuse from raw clients, all at once: thousands of connects and
// disconnects, malformed and deeply nested JSON, binary frames, giant frames, floods,
// half-open HTTP upgrades and upgraded sockets that never read. Meanwhile two
// well-behaved clients exchange messages; every one must arrive, in order. Afterwards the
// abusers are gone from the server's books and its heap (after GC) is back near where it
// started. (`npm run bench:server` runs the longer soak with the same kinds of abuse.)
import assert from 'node:assert/strict';
import net from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { DEV_KEY, eventually, RawClient, serve, test } from './helpers.ts';
import { ACTIONS } from '../../server/keys.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const ALL = [...ACTIONS];
const ABUSE = 'pk_live_abuse';
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
      { key: DEV_KEY, actions: ALL, limits: { messagesPerSecond: 100_000 } }, // the well-behaved pair is not rate-limited
      { key: ABUSE, actions: ALL, limits: { messagesPerSecond: 50, maxConnections: 5000 } },
    ],
    pingIntervalMs: 3000, // dead sockets (the stalled abusers) are reaped within 6 s; short enough to happen here
    maxBufferedBytes: 256 * 1024,
  });
  const abuseUrl = `${server.wsUrl}/v1?key=${ABUSE}`;

  // two well-behaved clients in one room
  const a = await RawClient.connect(server.wsUrl);
  const b = await RawClient.connect(server.wsUrl);
  await a.join('good-room');
  await b.join('good-room');
  /** One round of abuse while the pair talks; checks the pair, the limits and the clean-up. */
  const round = async (churnTarget: number) => {
    a.frames.length = 0;
    b.frames.length = 0;
    const minEnd = Date.now() + ABUSE_MS;
    const going = () => Date.now() < minEnd || counts.churn < churnTarget;
    const counts = { churn: 0, malformed: 0, giant: 0, giantClosed: 0, flood: 0, floodClosed: 0, halfOpen: 0, stalled: 0 };
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
        (ws as unknown as { _socket: net.Socket })._socket.pause();
        stalled.push(ws);
        counts.stalled++;
      }),
    ];
    const [goodResult] = await Promise.all([good, ...abuse]);

    // every well-behaved message arrived, once, in order, and promptly
    assert.deepEqual(goodResult.got, goodResult.sent, 'the well-behaved messages, in order');
    assert.ok(goodResult.sent.length > 10, `only ${goodResult.sent.length} well-behaved messages got through in ${ABUSE_MS} ms`);
    assert.ok(goodResult.maxMs < 2000, `a well-behaved message took ${Math.round(goodResult.maxMs)} ms`);
    assert.equal(a.closeInfo, null);
    assert.equal(b.closeInfo, null);
    // the abuse happened, and met the limits
    assert.ok(counts.churn >= churnTarget, `churn cycles: ${counts.churn}`);
    assert.ok(counts.giantClosed > 0 && counts.giantClosed === counts.giant, `giant frames closed with 1009: ${counts.giantClosed}/${counts.giant}`);
    assert.ok(counts.floodClosed > 0, `floods closed with 4011: ${counts.floodClosed}/${counts.flood}`);

    // the abusers go away: nothing of them stays on the server's books
    for (const s of halfOpen) s.destroy();
    for (const ws of stalled) ws.terminate();
    await eventually(() => server.stats().openSockets === 2, 5000, 'only the two well-behaved sockets open');
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
