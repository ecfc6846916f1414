// Browser-side handles on the real local servers the test runner starts for us.
import { executeServerCommand } from '@web/test-runner-commands';

export interface LocalServer {
  id: string;
  port: number;
  /** What the SDK's `url` option and the element's `server-url` take. */
  wsUrl: string;
  turnCredentialsUrl: string;
  turn: { port: number; secret: string; realm: string } | null;
}

/** Options forwarded to `startServer()` (server/index.ts); must be JSON. */
export type LocalServerOptions = Record<string, unknown>;

export const DEV_KEY = 'pk_live_local';

export const startLocalServer = (options: LocalServerOptions = {}) =>
  executeServerCommand<LocalServer, { options: LocalServerOptions }>('server-start', { options });

export const stopLocalServer = (server: LocalServer) =>
  executeServerCommand<boolean, { id: string }>('server-stop', { id: server.id });

/** Stops and starts the server on the same port (and the same coturn): a signalling outage. */
export const restartLocalServer = (server: LocalServer, options: LocalServerOptions = {}) =>
  executeServerCommand<LocalServer, { id: string; options: LocalServerOptions }>('server-restart', {
    id: server.id,
    options,
  });

export const serverStats = (server: LocalServer) =>
  executeServerCommand<{ connectionsAccepted: number; openSockets: number; channels: number }, { id: string }>(
    'server-stats',
    { id: server.id },
  );

export const setTurnTtl = (server: LocalServer, seconds: number) =>
  executeServerCommand<boolean, { id: string; seconds: number }>('server-set-turn-ttl', { id: server.id, seconds });

let roomCounter = 0;
/** A room name no other test uses. */
export const uniqueRoom = (prefix = 'room') =>
  `${prefix}-${Date.now().toString(36)}-${(++roomCounter).toString(36)}-${Math.random().toString(36).slice(2, 6)}`;

/** Signalling goes away (going_away + 1001 to every client); its port and coturn are kept for `bringServerUp`. */
export const takeServerDown = (server: LocalServer) =>
  executeServerCommand<boolean, { id: string }>('server-down', { id: server.id });

/** Starts a server taken down by `takeServerDown` again, on the same port with the same coturn. */
export const bringServerUp = (server: LocalServer, options: LocalServerOptions = {}) =>
  executeServerCommand<LocalServer, { id: string; options: LocalServerOptions }>('server-up', { id: server.id, options });

/** Freezes the server's coturn (SIGSTOP): relayed media and TURN requests stop, as on a cut network. */
export const pauseTurn = (server: LocalServer) =>
  executeServerCommand<boolean, { id: string }>('server-turn-pause', { id: server.id });

/** Lets a paused coturn run again (SIGCONT). */
export const resumeTurn = (server: LocalServer) =>
  executeServerCommand<boolean, { id: string }>('server-turn-resume', { id: server.id });

/**
 * One real local server for the tests of the enclosing `describe` (or of the whole file when
 * called at its top level): started before the first test, stopped after the last. The
 * object it returns is filled in when the server is up, so read its fields inside tests.
 */
export function useLocalServer(options: LocalServerOptions = {}): LocalServer {
  const server = {} as LocalServer;
  before(async function () {
    this.timeout(60_000); // coturn's start, on a loaded machine
    Object.assign(server, await startLocalServer(options));
  });
  after(async function () {
    this.timeout(60_000);
    if (server.id) await stopLocalServer(server);
  });
  return server;
}
