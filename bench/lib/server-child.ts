// Runs one signalling server in its own Node process, so its CPU time can be read from
// /proc apart from the browser's and the bench runner's. Usage (spawned by servers.ts):
//   node --import tsx bench/lib/server-child.ts metered|peerjs
// Prints one JSON line with the server's addresses, then answers "stats" lines on stdin
// with one JSON line each; "close" (or stdin ending) shuts it down.
import { createInterface } from 'node:readline';
import { createServer } from 'node:net';

const kind = process.argv[2];
const reply = (v: unknown) => process.stdout.write(JSON.stringify(v) + '\n');

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer().once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let stats: () => unknown = () => ({});
let close: () => Promise<void> = async () => {};

if (kind === 'metered') {
  const { startServer } = await import('../../server/index.ts');
  const s = await startServer({ port: 0, turn: true, log: false });
  stats = () => s.stats();
  close = () => s.close();
  reply({ port: s.port, wsUrl: s.wsUrl, httpUrl: s.httpUrl, turnCredentialsUrl: s.turnCredentialsUrl, turn: s.turn });
} else if (kind === 'peerjs') {
  const { PeerServer } = await import('peer');
  const port = await freePort();
  let connections = 0, messages = 0;
  const server = await new Promise<import('node:http').Server>(resolve => {
    const app = PeerServer({ port, host: '127.0.0.1', path: '/' }, srv => resolve(srv));
    app.on('connection', () => connections++);
    app.on('message', () => messages++);
  });
  stats = () => ({ connectionsAccepted: connections, messages });
  close = () => new Promise(r => { server.closeAllConnections?.(); server.close(() => r()); });
  reply({ port, host: '127.0.0.1', path: '/' });
} else {
  throw new Error(`unknown server kind ${kind}`);
}

const shutdown = async () => {
  await close().catch(() => {});
  process.exit(0);
};
createInterface({ input: process.stdin })
  .on('line', async line => {
    if (line === 'stats') reply(await stats());
    else if (line === 'close') await shutdown();
  })
  .on('close', shutdown);
