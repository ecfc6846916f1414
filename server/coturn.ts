// Runs a private coturn for one server: its own free port, random shared secret and
// relay-port block, started with the flags server/README.md lists, ready-checked with a STUN
// Binding request, and taken down on stop() or when this process exits.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freeUdpTcpPort, relayPortRange } from './ports.ts';
import { stunAnswers } from './stun.ts';

export interface TurnServerInfo {
  port: number;
  secret: string;
  realm: string;
}

export interface Coturn extends TurnServerInfo {
  stop(): Promise<void>;
}

export const INSTALL_HINT = 'coturn not installed: TURN relay unavailable (apt-get install coturn)';

/** Absolute path of `turnserver` on PATH, or null. */
export function turnserverPath(): string | null {
  return executableOnPath('turnserver');
}

export function executableOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

// Children still running when this process exits are killed with it, so a crashed test
// file never leaves a coturn behind.
const live = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function track(child: ChildProcess, pidFile: string): void {
  live.set(child, pidFile);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [c, file] of live) {
      c.stdin?.destroy(); // EOF: the watchdog kills coturn even though we do not wait for it
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  });
}

const READY_TIMEOUT_MS = 5000;
/** sh script: run "$0" "$@" (coturn) in the background; kill it when stdin reaches EOF. */
const WATCHDOG = 'exec 3<&0; "$0" "$@" </dev/null & pid=$!; { read _ <&3; kill $pid 2>/dev/null; rm -f "$PIDFILE"; } & wait $pid';
const OUTPUT_LINES_KEPT = 30;

export async function startCoturn(opts: { bin?: string; realm?: string; host?: string } = {}): Promise<Coturn> {
  const bin = opts.bin ?? turnserverPath();
  if (!bin) throw new Error(INSTALL_HINT);
  let lastError: Error | undefined;
  // A port found free can be taken by someone else before coturn binds it: retry with a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(bin, opts.realm ?? 'local', opts.host ?? '127.0.0.1');
    } catch (err) {
      lastError = err as Error;
    }
  }
  throw lastError ?? new Error('coturn did not start');
}

async function startOnce(bin: string, realm: string, host: string): Promise<Coturn> {
  const port = await freeUdpTcpPort(host);
  const relay = relayPortRange();
  const secret = randomBytes(24).toString('base64url');
  const pidFile = join(tmpdir(), `metered-local-coturn-${process.pid}-${port}.pid`);
  const args = [
    '-n', // no config file: Debian's default one logs to syslog
    `--listening-ip=${host}`,
    `--relay-ip=${host}`,
    `--listening-port=${port}`,
    `--min-port=${relay.min}`,
    `--max-port=${relay.max}`,
    '--allow-loopback-peers', // without it CREATE_PERMISSION to 127.0.0.1 is 403 Forbidden IP
    '--use-auth-secret',
    `--static-auth-secret=${secret}`,
    `--realm=${realm}`,
    '--no-tls',
    '--no-dtls',
    '--fingerprint',
    '--no-cli',
    `--pidfile=${pidFile}`,
    '--log-file=stdout',
    '--simple-log',
  ];
  // coturn runs under a small sh that kills it when our end of its stdin pipe closes: on
  // stop(), and also when this process dies in a way no 'exit' hook sees (SIGKILL, a test
  // runner killing a file). Its background job ignores SIGINT (POSIX, non-interactive sh),
  // so a terminal's Ctrl-C reaches coturn only through our orderly stop().
  const child = spawn('sh', ['-c', WATCHDOG, bin, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, PIDFILE: pidFile } });
  track(child, pidFile);
  // Keep draining its output (a full pipe would block coturn) and keep the tail for errors.
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    if (tail.length > OUTPUT_LINES_KEPT) tail.splice(0, tail.length - OUTPUT_LINES_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.stdin?.on('error', () => {});
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
    live.delete(child);
  });
  child.once('error', (err) => tail.push(String(err)));

  const stop = async (): Promise<void> => {
    if (!hasExited) {
      child.stdin?.end(); // the watchdog kills coturn, then sh exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    try {
      unlinkSync(pidFile);
    } catch {
      // coturn may have removed it, or never written it
    }
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await stunAnswers(port, host, 100))) {
    if (hasExited || Date.now() > deadline) {
      await stop();
      throw new Error(`coturn did not answer STUN on ${host}:${port}: ${tail.slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { port, secret, realm, stop };
}
