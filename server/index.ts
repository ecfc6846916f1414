// The local Metered-compatible server: WebSocket signalling on /v1 for the unmodified
// @metered-ca/realtime SDK, the TURN credentials stand-in backed by a private coturn,
// /api/token for the JWT path, and /healthz. See server/README.md.
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Coturn, INSTALL_HINT, type TurnServerInfo, startCoturn, turnserverPath } from './coturn.ts';
import { TURN_CREDENTIALS_PATH, handleHttp } from './http.ts';
import { type KeyConfig, KeyStore } from './keys.ts';
import { createLogger } from './log.ts';
import { ENVELOPE_ALLOWANCE_BYTES, MAX_SERVER_FRAME_BYTES } from './protocol.ts';
import { Signalling } from './signalling.ts';

export type { Action, KeyConfig, KeyKind, KeyLimits } from './keys.ts';
export { DEV_PUBLISHABLE_KEY, DEV_SECRET_KEY } from './keys.ts';
export { type MintOptions, mintToken } from './jwt.ts';
export { type Coturn, type TurnServerInfo, startCoturn, turnserverPath } from './coturn.ts';
export { type IceServer, iceServers, turnPassword, turnUsername } from './turn-credentials.ts';

export interface ServerOptions {
  /** 0 = a free port. Default 0 here; the CLI defaults to 8080. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** An array, or a path to a JSON key file; absent = the dev keys (pk_live_local, any origin, every action). */
  keys?: KeyConfig[] | string;
  /** Default true: start a private coturn when `turnserver` is installed. */
  turn?: boolean;
  /** Reuse this coturn instead of starting one (it is not stopped on close()): tests that restart signalling but keep TURN. */
  turnServer?: TurnServerInfo;
  /** Lifetime of minted TURN credentials in seconds. Default 14400. */
  turnTtl?: number;
  /** Cap on a serialised `data` payload in bytes, announced in the welcome. Default 65536. */
  maxMessageSize?: number;
  /** Structured JSON logs on stderr. Default false (the CLI turns them on). */
  log?: boolean;
  /** Log every frame in and out: type, size, channel, peers; payloads only as their size. */
  logFrames?: boolean;
  /** With logFrames: show payloads too (chat, SDP abbreviated, names). Credentials are never logged. */
  logPayloads?: boolean;
  /** WS ping cadence for dead-socket reaping, ms. Default 30000; a dead socket goes within 2 intervals. */
  pingIntervalMs?: number;
  /** Unsent bytes allowed per connection before it is closed with 1008. Default 4 MiB. */
  maxBufferedBytes?: number;
  /** Default lifetime of tokens from GET /api/token, seconds. Default 600. */
  tokenTtl?: number;
  /**
   * Turns GET /api/token on for pages of these origins (exact, or `*` patterns such as
   * `http://localhost:*`). Default: off. Anyone on an allowed origin can join any room the
   * signing key allows, so list only your own development origins. A bare `*` is refused.
   */
  tokenOrigins?: string[];
  /** Open connections allowed from one remote address, all keys together; over it → close 4010. Default 100. */
  maxConnectionsPerAddress?: number;
  /**
   * Apply maxConnectionsPerAddress to loopback clients too. Default false: on a development
   * machine they are the developer's own tabs and tests. Behind a reverse proxy on the same
   * host every client arrives from loopback: enforce a per-client limit in the proxy instead.
   */
  limitLoopback?: boolean;
  /** Fault mode for tests: a newcomer's direct messages arrive before the presence announcing it. Default false. */
  faultLatePresence?: boolean;
}

export interface RunningServer {
  port: number;
  /** What the SDK's `url` option takes: 'ws://127.0.0.1:<port>'. */
  wsUrl: string;
  httpUrl: string;
  turnCredentialsUrl: string;
  /** null when no coturn is running for this server. */
  turn: { port: number; secret: string; realm: string } | null;
  /** One human-readable line about TURN: which coturn, or why there is none. */
  turnStatus: string;
  /** One human-readable line about GET /api/token: off, or on for which origins. */
  tokenStatus: string;
  stats(): { connectionsAccepted: number; openSockets: number; channels: number };
  setTurnTtl(seconds: number): void;
  /** going_away + 1001 to every client, stop the coturn this server started, free the port. */
  close(): Promise<void>;
}

/** Keeps every server frame (data + envelope + sender metadata) under the SDK's 1 MiB cap. */
const MAX_MAX_MESSAGE_SIZE = MAX_SERVER_FRAME_BYTES - 4 * ENVELOPE_ALLOWANCE_BYTES;

function checkInt(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer in ${min}..${max}`);
  return value;
}

function checkTokenOrigins(origins: unknown): string[] {
  if (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string' || o.trim() === '')) {
    throw new RangeError('tokenOrigins must be an array of origins');
  }
  // `*` would let every web page the developer visits mint tokens from this machine
  if (origins.some((o) => o.trim() === '*')) throw new RangeError('tokenOrigins: "*" is not allowed; name the origins');
  return origins.map((o) => o.trim());
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const maxMessageSize = checkInt('maxMessageSize', options.maxMessageSize ?? 65536, 1, MAX_MAX_MESSAGE_SIZE);
  const pingIntervalMs = checkInt('pingIntervalMs', options.pingIntervalMs ?? 30000, 10, 3_600_000);
  const maxBufferedBytes = checkInt('maxBufferedBytes', options.maxBufferedBytes ?? 4 * 1024 * 1024, 64 * 1024, 2 ** 31);
  const tokenTtl = checkInt('tokenTtl', options.tokenTtl ?? 600, 1, 86400);
  const maxConnectionsPerAddress = checkInt('maxConnectionsPerAddress', options.maxConnectionsPerAddress ?? 100, 1, 1_000_000);
  let turnTtl = options.turnTtl ?? 14400;
  if (!Number.isFinite(turnTtl)) throw new RangeError('turnTtl must be a number of seconds');
  const tokenOrigins = checkTokenOrigins(options.tokenOrigins ?? []);
  const keys = KeyStore.from(options.keys);
  const log = createLogger({ enabled: options.log ?? false, frames: options.logFrames ?? false, payloads: options.logPayloads ?? false });

  // TURN: an external coturn, our own, or none.
  let owned: Coturn | null = null;
  let turn: TurnServerInfo | null = null;
  let turnStatus: string;
  if (options.turnServer) {
    const { port, secret, realm } = options.turnServer;
    turn = { port, secret, realm };
    turnStatus = `coturn (external) on ${host}:${turn.port}`;
  } else if (options.turn === false) {
    turnStatus = 'TURN off (--no-turn)';
  } else if (!turnserverPath()) {
    turnStatus = INSTALL_HINT;
    log.log('warn', INSTALL_HINT);
  } else {
    try {
      owned = await startCoturn({ host: host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host });
      turn = { port: owned.port, secret: owned.secret, realm: owned.realm };
      turnStatus = `coturn on ${urlHost(host)}:${owned.port} (udp+tcp)`;
    } catch (err) {
      turnStatus = `coturn failed to start: TURN relay unavailable (${(err as Error).message})`;
      log.log('error', turnStatus);
    }
  }
  // Without a coturn the credentials endpoint still answers with Metered's shape, pointing at
  // the standard TURN port where nothing of ours listens: clients keep one code path, and the
  // relay candidates simply fail to gather (README: "TURN stand-in").
  const credentialsTarget = turn ?? { port: 3478, secret: randomBytes(24).toString('base64url') };

  const signalling = new Signalling({
    keys,
    log,
    maxMessageSize,
    maxBufferedBytes,
    pingIntervalMs,
    maxConnectionsPerAddress,
    limitLoopback: options.limitLoopback ?? false,
    faultLatePresence: options.faultLatePresence === true,
  });
  const startedAt = Date.now();
  const http = createServer((req, res) =>
    handleHttp(req, res, {
      keys,
      turn: () => credentialsTarget,
      turnRunning: () => turn !== null,
      turnTtl: () => turnTtl,
      tokenTtl,
      tokenOrigins,
      health: () => ({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...signalling.stats(), turnPort: turn?.port ?? null }),
    }),
  );
  // Half-open or idle HTTP sockets must not pile up (upgraded sockets are not subject to these).
  http.headersTimeout = 10_000;
  http.requestTimeout = 10_000;
  http.keepAliveTimeout = 5_000;
  http.on('upgrade', (req, socket, head) => signalling.handleUpgrade(req, socket, head));
  http.on('clientError', (_err, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      // Node sets SO_REUSEADDR on listening sockets, so a restart on the same port works at once.
      http.listen(options.port ?? 0, host, () => {
        http.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await owned?.stop();
    await signalling.close();
    throw err;
  }

  const port = (http.address() as AddressInfo).port;
  const httpUrl = `http://${urlHost(host)}:${port}`;
  let closing: Promise<void> | null = null;
  return {
    port,
    wsUrl: `ws://${urlHost(host)}:${port}`,
    httpUrl,
    turnCredentialsUrl: `${httpUrl}${TURN_CREDENTIALS_PATH}`,
    turn: turn ? { ...turn } : null,
    turnStatus,
    tokenStatus: tokenOrigins.length === 0 ? '/api/token off' : `/api/token on for ${tokenOrigins.join(', ')}`,
    stats: () => signalling.stats(),
    setTurnTtl(seconds: number) {
      if (!Number.isFinite(seconds)) throw new RangeError('turnTtl must be a number of seconds');
      turnTtl = seconds;
    },
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((r) => http.close(() => r())); // stop accepting first
        await signalling.close();
        http.closeAllConnections();
        await stopped;
        await owned?.stop();
      })();
      return closing;
    },
  };
}
