// `npm run server`: the one startup line, --help, logs and frame tracing, clean stop on signals.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once as onceEvent } from 'node:events';
import { turnserverPath } from '../../server/index.ts';
import { summariseFrame } from '../../server/log.ts';
import { stunAnswers } from '../../server/stun.ts';
import { eventually, RawClient, room, test } from './helpers.ts';

const CLI = new URL('../../server/cli.ts', import.meta.url).pathname;

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
}

function run(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return { child, stdout: () => out, stderr: () => err };
}

async function startupLine(r: Running): Promise<string> {
  return eventually(() => (r.stdout().includes('\n') ? r.stdout().split('\n')[0] : undefined), 20_000, 'the startup line');
}

async function stop(r: Running, signal: NodeJS.Signals): Promise<number | null> {
  const exited = onceEvent(r.child, 'exit');
  r.child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}

test('--help lists every flag', async () => {
  const r = run(['--help']);
  const [code] = (await onceEvent(r.child, 'exit')) as [number];
  assert.equal(code, 0);
  for (const flag of ['--port', '--host', '--keys', '--no-turn', '--turn-ttl', '--max-message-size', '--ping-interval', '--token-origins', '--max-connections-per-address', '--limit-loopback', '--log-frames', '--log-payloads', '--quiet', '--help']) {
    assert.ok(r.stdout().includes(flag), flag);
  }
});

test('an unknown flag fails with a message', async () => {
  const r = run(['--bogus']);
  const [code] = (await onceEvent(r.child, 'exit')) as [number];
  assert.equal(code, 1);
  assert.match(r.stderr(), /bogus/);
});

test('prints one line with the ws URL and the TURN credentials URL, serves, and stops cleanly on SIGINT', async (t) => {
  const r = run(['--port', '0', '--no-turn', '--quiet']);
  t.after(() => r.child.kill('SIGKILL'));
  const line = await startupLine(r);
  const ws = /signalling (ws:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
  assert.ok(ws, line);
  assert.match(line, /TURN credentials http:\/\/127\.0\.0\.1:\d+\/api\/v1\/turn\/credentials\?apiKey=pk_live_local/);
  assert.match(line, /TURN off/);
  assert.match(line, /\/api\/token off/, 'the token route is off by default, and the line says so');
  const c = await RawClient.connect(ws);
  assert.equal(await stop(r, 'SIGINT'), 0);
  const closed = await c.waitClosed();
  assert.equal(closed.code, 1001, 'clients are told the server is going away');
  assert.equal(r.stdout().trim().split('\n').length, 1, 'exactly one line on stdout');
});

test('issue 16.5: --token-origins turns /api/token on for those origins, and the start-up line says so', async (t) => {
  const r = run(['--port', '0', '--no-turn', '--quiet', '--token-origins', 'http://localhost:8000, http://127.0.0.1:*']);
  t.after(() => r.child.kill('SIGKILL'));
  const line = await startupLine(r);
  assert.match(line, /\/api\/token on for http:\/\/localhost:8000, http:\/\/127\.0\.0\.1:\*/);
  const http = (/signalling ws:\/\/(\S+)/.exec(line)?.[1] ?? '').replace(/^/, 'http://');
  const ok = await fetch(`${http}/api/token?room=r`, { headers: { Origin: 'http://localhost:8000' } });
  assert.equal(ok.status, 200);
  assert.equal((await fetch(`${http}/api/token?room=r`, { headers: { Origin: 'http://localhost:8001' } })).status, 403);
  assert.equal(await stop(r, 'SIGTERM'), 0);
});

test('with coturn: the line names its port, and SIGTERM takes coturn down too', { skip: turnserverPath() ? false : 'coturn not installed' }, async (t) => {
  const r = run(['--port', '0', '--quiet']);
  t.after(() => r.child.kill('SIGKILL'));
  const line = await startupLine(r);
  const turnPort = Number(/coturn on 127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
  assert.ok(turnPort > 0, line);
  assert.ok(await stunAnswers(turnPort));
  assert.equal(await stop(r, 'SIGTERM'), 0);
  assert.equal(await stunAnswers(turnPort, '127.0.0.1', 300), false, 'coturn still answering after the server stopped');
});

/** Starts the CLI with `flags`, sends one chat message and one SDP offer as directs, returns the log lines. */
async function traceOfACall(t: { after(fn: () => void): void }, flags: string[]): Promise<{ lines: Record<string, any>[]; raw: string; sdp: string }> {
  const r = run(['--port', '0', '--no-turn', '--log-frames', ...flags]);
  t.after(() => r.child.kill('SIGKILL'));
  const ws = /signalling (ws:\/\/\S+)/.exec(await startupLine(r))?.[1] ?? '';
  const a = await RawClient.connect(ws);
  const b = await RawClient.connect(ws);
  const sdp = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=ice-pwd:SECRETICEPWD\r\n${'a=x\r\n'.repeat(500)}`;
  await a.request({ type: 'subscribe', channel: room() });
  await a.request({ type: 'send', to: b.peerId, data: { type: 'chat', text: 'my private words' } });
  await a.request({ type: 'send', to: b.peerId, data: { type: 'rtc-description', description: { type: 'offer', sdp } } });
  await b.waitFor((f) => f.data?.type === 'rtc-description');
  await eventually(() => r.stderr().split('"dir":"out","type":"direct"').length === 3, 5000, 'both outbound directs in the trace');
  const raw = r.stderr();
  const lines = raw.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(await stop(r, 'SIGINT'), 0);
  return { lines, raw, sdp };
}

test('logs are one JSON object per line on stderr; --log-frames traces frames with payloads redacted (issue 16.8)', async (t) => {
  const { lines, raw, sdp } = await traceOfACall(t, []);
  for (const l of lines) assert.equal(typeof l.time, 'string');
  const directs = lines.filter((l) => l.msg === 'frame' && l.dir === 'out' && l.type === 'direct');
  assert.equal(directs.length, 2);
  assert.equal(typeof directs[1]!.peer, 'string');
  assert.ok(directs[1]!.size > sdp.length, 'size is the real frame size');
  assert.match(directs[1]!.frame.data, /^\[redacted: \d+ chars\]$/);
  for (const secret of ['my private words', 'SECRETICEPWD', 'v=0']) assert.ok(!raw.includes(secret), `"${secret}" is not in the log`);
  const open = lines.find((l) => l.msg === 'connection open');
  assert.ok(open, 'connection open is logged');
  assert.match(String(open.key), /^kid_/, 'the key appears as its public id');
  assert.ok(!raw.includes('pk_live_'), 'no part of the key string is logged');
});

test('issue 16.8: TURN credentials and tokens in frames are never traced, payloads on or off', () => {
  const welcome = JSON.stringify({
    type: 'welcome',
    peerId: 'p',
    metadata: { iceServers: [{ urls: 'turn:127.0.0.1:3478', username: '1700000000:local', credential: 'CRED-SECRET' }], token: 'TOKEN-SECRET' },
  });
  for (const payloads of [false, true]) {
    const traced = JSON.stringify(summariseFrame(welcome, payloads));
    assert.ok(!traced.includes('CRED-SECRET') && !traced.includes('TOKEN-SECRET') && !traced.includes('1700000000:local'), traced);
  }
});

test('--log-payloads shows payloads, SDP abbreviated', async (t) => {
  const { lines, raw } = await traceOfACall(t, ['--log-payloads']);
  const direct = lines.filter((l) => l.msg === 'frame' && l.dir === 'out' && l.type === 'direct')[1]!;
  assert.match(direct.frame.data.description.sdp, /^v=0 o=- 1 2.*\(\d+ chars\)$/);
  assert.ok(raw.includes('my private words'));
});

test('coturn does not outlive a server process that is SIGKILLed', { skip: turnserverPath() ? false : 'coturn not installed' }, async (t) => {
  const r = run(['--port', '0', '--quiet']);
  t.after(() => r.child.kill('SIGKILL'));
  const turnPort = Number(/coturn on 127\.0\.0\.1:(\d+)/.exec(await startupLine(r))?.[1]);
  assert.ok(await stunAnswers(turnPort));
  await stop(r, 'SIGKILL'); // no handler, no 'exit' hook: only the watchdog pipe can clean up
  const deadline = Date.now() + 5000;
  let answering = true;
  while (answering && Date.now() < deadline) {
    answering = await stunAnswers(turnPort, '127.0.0.1', 200);
    if (answering) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(answering, false, 'coturn still answering 5 s after its server was killed');
});
