// Runs a private coturn for one server: its own free port, random shared secret and
// relay-port block, started with the flags server/README.md lists, ready-checked with a STUN
// Binding request, and taken down on stop() or when this process exits. The shared
// secret goes to coturn in a config file only this user can read (mode 0600, in a 0700
// directory), never on its command line, where every user sees it in `ps`.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
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
  /** The 0600 config file holding the shared secret (removed on stop). */
  configFile: string;
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
const live = new Map<ChildProcess, { pidFile: string; configDir: string }>();
let exitHookInstalled = false;
function track(child: ChildProcess, files: { pidFile: string; configDir: string }): void {
  live.set(child, files);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [c, { pidFile, configDir }] of live) {
      c.stdin?.destroy(); // EOF: the watchdog kills coturn even though we do not wait for it
      removeQuietly(pidFile, configDir);
    }
  });
}

function removeQuietly(pidFile: string, configDir: string): void {
  try {
    unlinkSync(pidFile);
  } catch {
    // coturn may have removed it, or never written it
  }
  rmSync(configDir, { recursive: true, force: true });
}

/** A fresh 0700 directory with a 0600 coturn config file holding `secret`. */
function writeSecretConfig(secret: string): { configDir: string; configFile: string } {
  const configDir = mkdtempSync(join(tmpdir(), 'metered-coturn-')); // mkdtemp creates it 0700
  const configFile = join(configDir, 'turnserver.conf');
  writeFileSync(configFile, `static-auth-secret=${secret}\n`, { mode: 0o600, flag: 'wx' });
  return { configDir, configFile };
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
  const { configDir, configFile } = writeSecretConfig(secret);
  const args = [
    '-c', // our own config file (the secret only), not Debian's default one, which logs to syslog
    configFile,
    `--listening-ip=${host}`,
    `--relay-ip=${host}`,
    `--listening-port=${port}`,
    `--min-port=${relay.min}`,
    `--max-port=${relay.max}`,
    '--allow-loopback-peers', // without it CREATE_PERMISSION to 127.0.0.1 is 403 Forbidden IP
    '--use-auth-secret', // the secret itself is in configFile
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
  track(child, { pidFile, configDir });
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
    removeQuietly(pidFile, configDir);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!(await stunAnswers(port, host, 100))) {
    if (hasExited || Date.now() > deadline) {
      await stop();
      throw new Error(`coturn did not answer STUN on ${host}:${port}: ${tail.slice(-5).join(' | ')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { port, secret, realm, configFile, stop };
}
