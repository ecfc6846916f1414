// `npm start` (scripts/start.mjs, run with --no-build: the build has its own tests): the local
// server and the demo come up together, the demo pages point at the server's port, and one
// signal stops both.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once as onceEvent } from 'node:events';
import { createServer } from 'node:net';
import { eventually, test } from './helpers.ts';

const START = new URL('../../scripts/start.mjs', import.meta.url).pathname;
const ROOT = new URL('../..', import.meta.url).pathname;

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await onceEvent(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await onceEvent(server, 'close');
  return port;
}

test('npm start serves the demo against its own local server, on the ports asked for, and stops on SIGTERM', { timeout: 60_000 }, async t => {
  const [serverPort, demoPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [START, '--no-build'], {
    cwd: ROOT,
    env: { ...process.env, SERVER_PORT: String(serverPort), DEMO_PORT: String(demoPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await eventually(() => out.includes(`demo:   http://localhost:${demoPort}/`) && out.includes('metered local server'), 30_000, `the start lines\n${out}`);

  // the demo page (and its other pages) name this server, not the default port
  for (const path of ['/', '/demo/theming.html', '/demo/docs.js']) {
    const response = await fetch(`http://localhost:${demoPort}${path}`);
    assert.equal(response.status, 200, path);
    const body = await response.text();
    assert.ok(body.includes(`127.0.0.1:${serverPort}`), `${path} points at the server`);
    assert.ok(!body.includes('127.0.0.1:8080'), `${path} still names port 8080`);
  }
  const credentials = await fetch(`http://127.0.0.1:${serverPort}/api/v1/turn/credentials?apiKey=pk_live_local`);
  assert.equal(credentials.status, 200);
  const iceServers = (await credentials.json()) as { urls: string }[];
  assert.ok(Array.isArray(iceServers) && iceServers.length > 0, 'ICE servers from the stand-in');

  // one signal stops the demo and the server
  const exited = onceEvent(child, 'exit');
  child.kill('SIGTERM');
  const [code] = (await exited) as [number | null];
  assert.equal(code, 0);
  await assert.rejects(fetch(`http://127.0.0.1:${serverPort}/healthz`), 'the server is down');
});
