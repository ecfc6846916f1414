#!/usr/bin/env node
// `npm start`: build, then run the local server (port 8080) and serve the demo at
// http://localhost:8000 — both in this one process tree; Ctrl-C stops both.
import { spawn, spawnSync } from 'node:child_process';
import { startDevServer } from '@web/dev-server';

const SERVER_PORT = process.env.SERVER_PORT ?? '8080';
const DEMO_PORT = Number(process.env.DEMO_PORT ?? 8000);

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// node itself (not npx): a signal to this child reaches the server, which then stops its coturn
// /api/token (off by default) is turned on for the demo's own origin: the React and Vue demo
// apps, opened from this demo server, fetch their tokens there as an app would from its backend
const server = spawn(
  process.execPath,
  ['--import', 'tsx', 'server/cli.ts', '--port', SERVER_PORT, '--token-origins', `http://localhost:${DEMO_PORT}`],
  { stdio: 'inherit' },
);
const demo = await startDevServer({
  config: {
    rootDir: '.',
    port: DEMO_PORT,
    hostname: 'localhost',
    // http://localhost:8000/ is the demo page (it loads /dist/metered-call.js)
    middleware: [
      (ctx, next) => {
        if (ctx.path === '/' || ctx.path === '/index.html') ctx.path = '/demo/index.html';
        return next();
      },
    ],
    nodeResolve: false, // the page uses the built bundle, as a CMS user would
    plugins: [
      {
        // the demo pages name the default server port; point them at SERVER_PORT when it differs
        name: 'demo-server-port',
        transform(context) {
          if (SERVER_PORT !== '8080' && context.path.startsWith('/demo/') && /\.(html|js)$/.test(context.path)) {
            return { body: String(context.body).replaceAll('127.0.0.1:8080', `127.0.0.1:${SERVER_PORT}`) };
          }
        },
      },
    ],
  },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
console.log(`\n  demo:   http://localhost:${DEMO_PORT}/   (open it in two tabs)\n  server: ws://127.0.0.1:${SERVER_PORT}\n`);

let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  // the server closes its sockets and its coturn before we go
  const serverGone = server.exitCode !== null || server.signalCode !== null ? Promise.resolve() : new Promise(r => server.once('exit', r));
  server.kill('SIGTERM');
  await Promise.all([demo.stop(), serverGone]);
  process.exit(code);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
server.on('exit', code => {
  if (!stopping) {
    console.error(`local server exited (${code}); stopping the demo`);
    void stop(code ?? 1);
  }
});
