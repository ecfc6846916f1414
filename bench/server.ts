// `npm run bench:server`: load and abuse figures for the local signalling server.
//
// The server runs in this process; the clients run in a child process (this same file,
// `--role=clients`), so each side has its own core and the RSS measured here is the
// server's. Loopback only, every loop bounded in count and time.
//
//   (default)   N = 50, 200, 500 clients in rooms of 4: connect→welcome and subscribe→ack
//               latency, delivered messages per second at fan-out 3, drops and reorders,
//               server RSS; then a 15 s soak with abusive clients.
//   --quick     fewer messages and a 5 s soak (used by `npm run bench`)
//   --no-soak   the table only
//   --soak=<s>  soak duration in seconds (max 120)
//
// Prints one Markdown table (bench/scenarios/server.ts parses it) and plain soak lines.
// Exits 1 if a message was dropped or reordered or the well-behaved soak client failed.
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { WebSocket } from 'ws';
import { type KeyConfig, type RunningServer, startServer } from '../server/index.ts';

const ACTIONS = ['subscribe', 'publish', 'presence', 'send'] as const;
const BENCH_KEY = 'pk_live_bench';
const ABUSE_KEY = 'pk_live_abuse';
const KEYS: KeyConfig[] = [
  { key: BENCH_KEY, actions: [...ACTIONS], limits: { messagesPerSecond: 1_000_000, maxConnections: 100_000 } },
  { key: ABUSE_KEY, actions: [...ACTIONS], limits: { messagesPerSecond: 50, maxConnections: 5_000 } },
];
const ROOM_SIZE = 4;
const CONNECT_CONCURRENCY = 50;
const PUBLISH_WINDOW = 8;

// ---------------------------------------------------------------- shared types

interface PhaseRequest {
  cmd: 'phase';
  wsUrl: string;
  n: number;
  perClient: number;
}
interface PhaseResult {
  welcomeMs: number[];
  ackMs: number[];
  totalMs: number[];
  expected: number;
  received: number;
  reordered: number;
  deliverSeconds: number;
}
interface SoakRequest {
  cmd: 'soak';
  wsUrl: string;
  port: number;
  seconds: number;
}
interface SoakResult {
  churnCycles: number;
  malformedFrames: number;
  giantFrames: number;
  floodClosures: number;
  halfOpenHttp: number;
  stalledSockets: number;
  closeCodes: Record<string, number>;
  good: { roundTrips: number; failures: number; p50: number; p99: number; max: number };
}
type Request = PhaseRequest | SoakRequest | { cmd: 'exit' };

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

// ---------------------------------------------------------------- client side (child process)

/** Runs `count` tasks with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

function deadlineAfter<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms))),
  ]);
}

interface BenchClient {
  ws: WebSocket;
  index: number;
  room: string;
  roomSize: number;
  members: Set<string>;
  lastSeq: Map<number, number>;
  acked: number;
  onAck: (() => void) | null;
  onPresence: (() => void) | null;
}

async function runPhase(req: PhaseRequest): Promise<PhaseResult> {
  const { n, perClient, wsUrl } = req;
  const clients: BenchClient[] = [];
  const welcomeMs: number[] = [];
  const ackMs: number[] = [];
  const totalMs: number[] = [];
  let received = 0;
  let reordered = 0;
  let gaps = 0;
  let allDelivered: (() => void) | null = null;
  const sizeOf = (i: number): number => Math.min(ROOM_SIZE, n - Math.floor(i / ROOM_SIZE) * ROOM_SIZE);
  const expected = Array.from({ length: n }, (_, i) => perClient * (sizeOf(i) - 1)).reduce((a, b) => a + b, 0);

  await pool(n, CONNECT_CONCURRENCY, async (i) => {
    const started = performance.now();
    const ws = new WebSocket(`${wsUrl}/v1?key=${BENCH_KEY}`);
    const c: BenchClient = {
      ws,
      index: i,
      room: `bench-${n}-${Math.floor(i / ROOM_SIZE)}`,
      roomSize: sizeOf(i),
      members: new Set(),
      lastSeq: new Map(),
      acked: 0,
      onAck: null,
      onPresence: null,
    };
    clients[i] = c;
    let welcomed!: () => void;
    const welcome = new Promise<void>((r) => (welcomed = r));
    let subscribed!: () => void;
    const subAck = new Promise<void>((r) => (subscribed = r));
    ws.on('error', () => {});
    ws.on('message', (data: Buffer) => {
      const f = JSON.parse(data.toString()) as Record<string, any>;
      switch (f.type) {
        case 'message': {
          const d = f.data as { s: number; q: number };
          const last = c.lastSeq.get(d.s) ?? -1;
          if (d.q <= last) reordered++;
          else {
            if (d.q !== last + 1) gaps++;
            c.lastSeq.set(d.s, d.q);
          }
          if (++received === expected) allDelivered?.();
          break;
        }
        case 'ack':
          if (f.requestId === 'sub') subscribed();
          else {
            c.acked++;
            c.onAck?.();
          }
          break;
        case 'presence':
          for (const p of f.joined as { peerId: string }[]) c.members.add(p.peerId);
          for (const p of f.left as { peerId: string }[]) c.members.delete(p.peerId);
          c.onPresence?.();
          break;
        case 'welcome':
          welcomed();
          break;
      }
    });
    await deadlineAfter(welcome, 30_000, 'welcome');
    const welcomedAt = performance.now();
    ws.send(JSON.stringify({ type: 'subscribe', channel: c.room, requestId: 'sub' }));
    await deadlineAfter(subAck, 30_000, 'subscribe ack');
    const ackedAt = performance.now();
    welcomeMs.push(welcomedAt - started);
    ackMs.push(ackedAt - welcomedAt);
    totalMs.push(ackedAt - started);
  });

  // Every client knows its whole room before anyone publishes.
  await Promise.all(
    clients.map((c) =>
      c.members.size >= c.roomSize
        ? undefined
        : deadlineAfter(new Promise<void>((r) => (c.onPresence = () => c.members.size >= c.roomSize && r())), 30_000, 'room presence'),
    ),
  );

  process.send?.({ stage: 'connected' }); // lets the server side split its CPU time: joining vs traffic
  const done = new Promise<void>((r) => (allDelivered = r));
  const pad = 'x'.repeat(64);
  const startedAt = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      let sent = 0;
      const pump = (): void => {
        while (sent < perClient && sent - c.acked < PUBLISH_WINDOW) {
          c.ws.send(JSON.stringify({ type: 'publish', channel: c.room, data: { s: c.index, q: sent, p: pad }, requestId: `p${sent}` }));
          sent++;
        }
      };
      await new Promise<void>((resolve) => {
        c.onAck = () => {
          if (c.acked >= perClient) resolve();
          else pump();
        };
        pump();
      });
    }),
  );
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))]);
  const deliverSeconds = (performance.now() - startedAt) / 1000;
  await Promise.all(
    clients.map(
      (c) =>
        new Promise<void>((r) => {
          c.ws.once('close', () => r());
          c.ws.close();
        }),
    ),
  );
  return { welcomeMs, ackMs, totalMs, expected, received, reordered: reordered + (received < expected ? 0 : gaps), deliverSeconds };
}

function openWs(url: string): WebSocket {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  return ws;
}

function closedCode(ws: WebSocket, codes: Record<string, number>): Promise<number> {
  return new Promise((r) =>
    ws.once('close', (code: number) => {
      codes[code] = (codes[code] ?? 0) + 1;
      r(code);
    }),
  );
}

async function runSoak(req: SoakRequest): Promise<SoakResult> {
  const { wsUrl, port } = req;
  const until = Date.now() + req.seconds * 1000;
  const live = (): boolean => Date.now() < until;
  const codes: Record<string, number> = {};
  const result: SoakResult = { churnCycles: 0, malformedFrames: 0, giantFrames: 0, floodClosures: 0, halfOpenHttp: 0, stalledSockets: 0, closeCodes: codes, good: { roundTrips: 0, failures: 0, p50: 0, p99: 0, max: 0 } };
  const goodUrl = `${wsUrl}/v1?key=${BENCH_KEY}`;
  const abuseUrl = `${wsUrl}/v1?key=${ABUSE_KEY}`;

  // Resolves with the peer id of the welcome, or null if the socket closed first.
  const hello = (ws: WebSocket): Promise<string | null> =>
    new Promise((r) => {
      ws.once('message', (d: Buffer) => {
        const f = JSON.parse(d.toString()) as { type?: string; peerId?: string };
        r(f.type === 'welcome' ? (f.peerId ?? null) : null);
      });
      ws.once('close', () => r(null));
    });
  const welcomeOf = async (ws: WebSocket): Promise<boolean> => (await hello(ws)) !== null;

  // The well-behaved pair: A publishes to B's room and sends B a direct every 20 ms; each must arrive.
  const goodA = openWs(goodUrl);
  const goodB = openWs(goodUrl);
  const [, bId] = await Promise.all([hello(goodA), hello(goodB)]);
  const rtts: number[] = [];
  const pending = new Map<number, number>();
  const subscribed = new Promise<void>((resolve) =>
    goodB.on('message', (d: Buffer) => {
      const f = JSON.parse(d.toString()) as Record<string, any>;
      if (f.type === 'ack' && f.requestId === 's') resolve();
      if ((f.type === 'message' || f.type === 'direct') && typeof f.data?.k === 'number') {
        const sentAt = pending.get(f.data.k);
        if (sentAt !== undefined) {
          rtts.push(performance.now() - sentAt);
          pending.delete(f.data.k);
        }
      }
    }),
  );
  goodB.send(JSON.stringify({ type: 'subscribe', channel: 'soak-good', requestId: 's' }));
  await subscribed;
  const good = (async () => {
    let k = 0;
    while (live()) {
      for (const type of ['publish', 'send'] as const) {
        const frame = type === 'publish' ? { type, channel: 'soak-good', data: { k }, requestId: `g${k}` } : { type, to: bId, data: { k }, requestId: `g${k}` };
        pending.set(k, performance.now());
        goodA.send(JSON.stringify(frame));
        k++;
      }
      await new Promise((r) => setTimeout(r, 20));
      const now = performance.now();
      for (const [key, at] of pending) {
        if (now - at > 2000) {
          result.good.failures++;
          pending.delete(key);
        }
      }
    }
    // Whatever is still in flight gets the same 2 s as everything else.
    const drainUntil = performance.now() + 2000;
    while (pending.size > 0 && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    result.good.failures += pending.size;
  })();

  // Thousands of connects and disconnects.
  const churn = pool(1_000_000, 20, async () => {
    if (!live()) return;
    const ws = openWs(abuseUrl);
    const closed = closedCode(ws, codes);
    if (await welcomeOf(ws)) {
      ws.send(JSON.stringify({ type: 'subscribe', channel: `churn-${result.churnCycles % 50}`, requestId: 'c' }));
      ws.close();
      result.churnCycles++;
    }
    await closed;
  });

  // Malformed frames of every kind, then gone.
  const malformed = pool(1_000_000, 5, async () => {
    if (!live()) return;
    const ws = openWs(abuseUrl);
    const closed = closedCode(ws, codes);
    if (await welcomeOf(ws)) {
      for (const bad of ['{bad', '[]', '{"type":5}', 'null', '{"type":"subscribe","channel":"\u0000"}', randomBytes(40).toString('latin1'), '{"type":"nope","requestId":"' + 'r'.repeat(500) + '"}']) {
        if (ws.readyState === WebSocket.OPEN) ws.send(bad);
        result.malformedFrames++;
      }
      setTimeout(() => ws.terminate(), 50);
    }
    await closed;
  });

  // Giant frames (over maxPayload → 1009) and payloads over maxMessageSize (→ 1009).
  const giants = pool(1_000_000, 3, async () => {
    if (!live()) return;
    const ws = openWs(abuseUrl);
    const closed = closedCode(ws, codes);
    if (await welcomeOf(ws)) {
      ws.send(JSON.stringify({ type: 'publish', channel: 'g', data: 'G'.repeat(result.giantFrames % 2 ? 300_000 : 66_000), requestId: 'g' }));
      result.giantFrames++;
    }
    await closed;
  });

  // Floods past the rate limit (→ 4011).
  const floods = pool(1_000_000, 3, async () => {
    if (!live()) return;
    const ws = openWs(abuseUrl);
    const closed = closedCode(ws, codes);
    if (await welcomeOf(ws)) {
      for (let i = 0; i < 500 && ws.readyState === WebSocket.OPEN; i++) ws.send('{"type":"ping"}');
    }
    if ((await closed) === 4011) result.floodClosures++;
  });

  // Half-open HTTP: headers never finished (the server's headersTimeout ends them).
  const halfOpen: net.Socket[] = [];
  for (let i = 0; i < 100; i++) {
    const s = net.connect(port, '127.0.0.1');
    s.on('error', () => {});
    s.on('connect', () => s.write('GET /v1?key=pk_live_abuse HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n'));
    halfOpen.push(s);
    result.halfOpenHttp++;
  }
  // Upgraded sockets that stop reading: no pongs, so the server reaps them.
  const stalled: WebSocket[] = [];
  for (let i = 0; i < 100; i++) {
    const ws = openWs(abuseUrl);
    void closedCode(ws, codes);
    ws.once('open', () => ws.pause());
    stalled.push(ws);
    result.stalledSockets++;
  }

  await Promise.all([good, churn, malformed, giants, floods]);
  for (const s of halfOpen) s.destroy();
  for (const ws of stalled) ws.terminate();
  const r = rtts;
  result.good.roundTrips = r.length;
  result.good.p50 = percentile(r, 50);
  result.good.p99 = percentile(r, 99);
  result.good.max = Math.max(...r);
  goodA.close();
  goodB.close();
  return result;
}

function clientRole(): void {
  process.on('message', (msg: Request) => {
    const reply = (value: unknown): void => {
      process.send?.(value);
    };
    if (msg.cmd === 'exit') process.exit(0);
    const work = msg.cmd === 'phase' ? runPhase(msg) : runSoak(msg);
    work.then(reply, (err: unknown) => reply({ error: String((err as Error).stack ?? err) }));
  });
}

// ---------------------------------------------------------------- server side (this process)

function ask<T>(child: ChildProcess, req: Request, onStage?: (stage: string) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T & { error?: string; stage?: string }): void => {
      if (m.stage !== undefined) return onStage?.(m.stage);
      child.off('message', onMessage);
      if (m.error) reject(new Error(m.error));
      else resolve(m);
    };
    child.on('message', onMessage);
    child.send(req);
  });
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(2) : 'n/a');

function forceGc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

async function settle(server: RunningServer, openAtMost: number): Promise<void> {
  const until = Date.now() + 10_000;
  while (server.stats().openSockets > openAtMost && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const soakArg = args.find((a) => a.startsWith('--soak='));
  const soakSeconds = args.includes('--no-soak') ? 0 : Math.min(120, soakArg ? Number(soakArg.slice(7)) : quick ? 5 : 15);
  const deliveriesPerPhase = quick ? 30_000 : 120_000;

  const child = fork(new URL(import.meta.url).pathname, ['--role=clients'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rows: string[] = [];
  let failed = false;
  let headline = { p99: Number.NaN, rate: Number.NaN };
  const server = await startServer({ turn: false, keys: KEYS });
  try {
    // Warm-up (not reported): JIT and first-use costs in both processes would otherwise land on the first row.
    await ask<PhaseResult>(child, { cmd: 'phase', wsUrl: server.wsUrl, n: 40, perClient: 50 });
    await settle(server, 0);
    for (const n of [50, 200, 500]) {
      const perClient = Math.max(10, Math.round(deliveriesPerPhase / (n * (ROOM_SIZE - 1))));
      forceGc();
      let peakRss = process.memoryUsage().rss;
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const cpuBefore = process.cpuUsage();
      let joinCpu = process.cpuUsage(cpuBefore);
      const r = await ask<PhaseResult>(child, { cmd: 'phase', wsUrl: server.wsUrl, n, perClient }, () => {
        joinCpu = process.cpuUsage(cpuBefore);
      });
      const all = process.cpuUsage(cpuBefore);
      const cpu = { user: all.user - joinCpu.user, system: all.system - joinCpu.system };
      const joinMsPerClient = (joinCpu.user + joinCpu.system) / 1000 / n;
      clearInterval(sampler);
      await settle(server, 0);
      const dropped = r.expected - r.received;
      if (dropped !== 0 || r.reordered !== 0) failed = true;
      const rate = r.received / r.deliverSeconds;
      const p99Total = percentile(r.totalMs, 99);
      headline = { p99: p99Total, rate };
      rows.push(
        `| ${n} | ${ms(percentile(r.welcomeMs, 50))} | ${ms(percentile(r.welcomeMs, 95))} | ${ms(percentile(r.welcomeMs, 99))} | ${ms(percentile(r.ackMs, 50))} | ${ms(percentile(r.ackMs, 95))} | ${ms(percentile(r.ackMs, 99))} | ${ms(p99Total)} | ${Math.round(rate)} | ${r.received} | ${dropped} | ${r.reordered} | ${mb(peakRss)} | ${joinMsPerClient.toFixed(3)} | ${Math.round((cpu.user + cpu.system) / 1000)} | ${Math.round(r.received / ((cpu.user + cpu.system) / 1e6))} |`,
      );
    }
  } finally {
    await server.close();
  }

  const load = loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`bench:server — server in-process, clients in a child process, loopback, rooms of ${ROOM_SIZE}, ${CONNECT_CONCURRENCY} connects in flight, publish window ${PUBLISH_WINDOW}`);
  console.log(`node ${process.version}, ${cpus().length} cores, load average ${load} (latency and msg/s are wall-clock: other load on the machine inflates them; server CPU is not)\n`);
  console.log('| clients | connect→welcome p50 (ms) | connect→welcome p95 (ms) | connect→welcome p99 (ms) | subscribe→ack p50 (ms) | subscribe→ack p95 (ms) | subscribe→ack p99 (ms) | connect+subscribe p99 (ms) | delivered (msg/s) | delivered (msgs) | dropped (msgs) | reordered (msgs) | server RSS peak (MB) | server CPU per connect+subscribe (ms) | server CPU for the traffic (ms) | delivered per server CPU-second (msg/s) |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of rows) console.log(row);
  console.log(
    `\ntargets at 500 clients: connect+subscribe p99 < 50 ms → ${headline.p99 < 50 ? 'met' : 'MISSED'} (${ms(headline.p99)} ms); ≥ 20,000 delivered msg/s → ${headline.rate >= 20_000 ? 'met' : 'MISSED'} (${Math.round(headline.rate)})`,
  );

  if (soakSeconds > 0) {
    const soakServer = await startServer({ turn: false, keys: KEYS, pingIntervalMs: 1000 });
    try {
      forceGc();
      const before = process.memoryUsage();
      const s = await ask<SoakResult>(child, { cmd: 'soak', wsUrl: soakServer.wsUrl, port: soakServer.port, seconds: soakSeconds });
      await settle(soakServer, 0);
      forceGc();
      const after = process.memoryUsage();
      const stats = soakServer.stats();
      if (s.good.failures > 0 || s.good.roundTrips === 0) failed = true;
      console.log(`\nsoak (${soakSeconds} s, abusive clients on key ${ABUSE_KEY} at 50 msg/s, WS ping every 1 s):`);
      console.log(`  connect/subscribe/close cycles: ${s.churnCycles}; malformed frames: ${s.malformedFrames}; giant frames: ${s.giantFrames}; floods closed with 4011: ${s.floodClosures}`);
      console.log(`  half-open HTTP sockets: ${s.halfOpenHttp}; upgraded sockets that stopped reading: ${s.stalledSockets}; connections accepted in total: ${stats.connectionsAccepted}`);
      console.log(`  close codes seen by abusive clients: ${Object.entries(s.closeCodes).map(([c, k]) => `${c}×${k}`).join(', ')}`);
      console.log(`  well-behaved client: ${s.good.roundTrips} deliveries, ${s.good.failures} failed, latency p50 ${ms(s.good.p50)} ms, p99 ${ms(s.good.p99)} ms, max ${ms(s.good.max)} ms`);
      console.log(`  server memory: RSS ${mb(before.rss)} → ${mb(after.rss)} MB, heap used ${mb(before.heapUsed)} → ${mb(after.heapUsed)} MB (after GC); open sockets afterwards: ${stats.openSockets}, channels: ${stats.channels}`);
    } finally {
      await soakServer.close();
    }
  }
  child.send({ cmd: 'exit' });
  if (failed) {
    console.log('\nFAILED: a message was dropped or reordered, or the well-behaved soak client did not get through');
    process.exitCode = 1;
  }
}

if (process.argv.includes('--role=clients')) clientRole();
else
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
