// The servers a bench run needs, all on 127.0.0.1: a static file server for the pages
// (in this process), and each signalling server in a child process of its own.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import sirv from 'sirv';
import { ROOT } from './results.ts';
import { procCpu, treeCpu } from './procs.ts';

export interface ChildServer<I> {
  info: I;
  pid: number;
  stats(): Promise<Record<string, unknown>>;
  /** CPU seconds of the server process so far */
  cpu(): number;
  /** CPU seconds of the server process and its children (coturn) so far */
  treeCpu(): number;
  close(): Promise<void>;
}

export interface MeteredInfo {
  port: number; wsUrl: string; httpUrl: string; turnCredentialsUrl: string;
  turn: { port: number; secret: string; realm: string } | null;
}
export interface PeerjsInfo { port: number; host: string; path: string }

export function startChild<I>(kind: 'metered' | 'peerjs'): Promise<ChildServer<I>> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/lib/server-child.ts'), kind], {
    cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((v: unknown) => void)[] = [];
  let first: ((v: unknown) => void) | null = null;
  lines.on('line', l => {
    let v: unknown;
    try { v = JSON.parse(l); } catch { return; }
    if (first) { const f = first; first = null; f(v); } else waiting.shift()?.(v);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} server did not start within 20 s`)), 20000);
    child.once('exit', code => { clearTimeout(timer); reject(new Error(`${kind} server exited (${code}) before it was ready`)); });
    first = info => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const pid = child.pid!;
      resolve({
        info: info as I,
        pid,
        stats: () => new Promise(r => { waiting.push(r as (v: unknown) => void); child.stdin!.write('stats\n'); }),
        cpu: () => procCpu(pid),
        treeCpu: () => [...treeCpu(pid).values()].reduce((a, b) => a + b, 0),
        close: () => new Promise(r => {
          if (child.exitCode !== null) return r();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => { clearTimeout(kill); r(); });
          child.stdin!.write('close\n');
        }),
      });
    };
  });
}

/** Inside a JS string or template literal: nothing can end it, interpolate, or close a script. */
const escapeJs = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[`$<]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Serves the repository root (pages under /bench/pages/, the SDK and PeerJS from
 * /node_modules/, the element from /dist/). `*.tmpl.html` pages and `*.tmpl.js` scripts are sent
 * with their `{{name}}` placeholders replaced from the query string, so the element page is
 * plain static HTML with its attributes written out, and the tutorial's script has its
 * constants written in, as a site would have them.
 */
export function startStatic(): Promise<{ origin: string; close(): Promise<void> }> {
  const files = sirv(ROOT, { dev: true, dotfiles: false });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = url.pathname.endsWith('.tmpl.html') ? 'html' : url.pathname.endsWith('.tmpl.js') ? 'js' : null;
    if (url.pathname.startsWith('/bench/pages/') && kind) {
      try {
        // {{__query}}: the page's whole query string, handed on (the tutorial page's script gets it)
        const value = (k: string) => (k === '__query' ? url.searchParams.toString() : (url.searchParams.get(k) ?? ''));
        const text = readFileSync(join(ROOT, url.pathname), 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
          kind === 'html' ? escapeAttr(value(k)) : escapeJs(value(k)));
        res.writeHead(200, { 'content-type': `text/${kind === 'html' ? 'html' : 'javascript'}; charset=utf-8`, 'cache-control': 'no-store' });
        res.end(text);
      } catch {
        res.writeHead(404).end();
      }
      return;
    }
    if (url.pathname === '/dist/metered-call.js' && process.env.BENCH_ELEMENT) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      res.end(readFileSync(process.env.BENCH_ELEMENT));
      return;
    }
    files(req, res, () => { res.writeHead(404).end(); });
  });
  return new Promise(resolve =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()); }),
      });
    }));
}
