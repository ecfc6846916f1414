// wtr plugin: lets browser tests start, stop and inspect real local Metered servers
// (signalling + TURN stand-in + coturn) through `executeServerCommand`.
import { readdirSync, readFileSync } from 'node:fs';
import type { TestRunnerPlugin } from '@web/test-runner';
import { startCoturn, startServer, turnserverPath, type Coturn, type RunningServer, type ServerOptions } from '../../server/index.js';

export interface ServerInfo {
  id: string;
  port: number;
  wsUrl: string;
  turnCredentialsUrl: string;
  turn: { port: number; secret: string; realm: string } | null;
}

const describe = (id: string, s: RunningServer): ServerInfo => ({
  id,
  port: s.port,
  wsUrl: s.wsUrl,
  turnCredentialsUrl: s.turnCredentialsUrl,
  turn: s.turn,
});

/** The pid of the turnserver listening on `port` (coturn runs under a small sh wrapper, so not the child's pid). */
function coturnPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0]?.endsWith('turnserver') && argv.includes(`--listening-port=${port}`)) return Number(entry);
    } catch {
      /* gone */
    }
  }
  throw new Error(`no turnserver process listening on port ${port}`);
}

export function localServerPlugin(): TestRunnerPlugin {
  const servers = new Map<string, RunningServer>();
  // The coturn of each server is started here, not by the server, so it outlives a
  // signalling outage (server-restart, server-down/up) and can be paused (a blocked network).
  const coturns = new Map<string, Coturn>();
  // servers taken down by server-down: what server-up needs to start them again
  const down = new Map<string, { port: number; options: ServerOptions }>();
  const started = new Map<string, ServerOptions>();
  let next = 0;
  const get = (id: unknown) => {
    const s = servers.get(String(id));
    if (!s) throw new Error(`no local server with id ${String(id)}`);
    return s;
  };
  const coturnOf = (id: unknown) => {
    const c = coturns.get(String(id));
    if (!c) throw new Error(`local server ${String(id)} has no coturn of the test harness`);
    return c;
  };
  const stopCoturn = async (id: string) => {
    const c = coturns.get(id);
    coturns.delete(id);
    if (c) {
      try {
        process.kill(coturnPid(c.port), 'SIGCONT'); // a paused coturn cannot act on SIGTERM
      } catch {
        /* gone already */
      }
      await c.stop();
    }
  };

  return {
    name: 'metered-local-server',
    async executeCommand({ command, payload }) {
      const p = (payload ?? {}) as Record<string, unknown>;
      switch (command) {
        case 'server-start': {
          const id = `s${++next}`;
          const options = { ...(p.options as ServerOptions | undefined) };
          if (options.turn !== false && !options.turnServer && turnserverPath()) {
            const coturn = await startCoturn();
            coturns.set(id, coturn);
            options.turnServer = { port: coturn.port, secret: coturn.secret, realm: coturn.realm };
          }
          started.set(id, options);
          const server = await startServer({ port: 0, ...options });
          servers.set(id, server);
          return describe(id, server);
        }
        case 'server-stop': {
          const id = String(p.id);
          const server = servers.get(id);
          servers.delete(id);
          down.delete(id);
          started.delete(id);
          await server?.close();
          await stopCoturn(id);
          return true;
        }
        case 'server-down': {
          // signalling goes away (going_away + 1001 to every client); port and coturn are kept
          const id = String(p.id);
          const server = get(id);
          servers.delete(id);
          down.set(id, { port: server.port, options: started.get(id) ?? {} });
          await server.close();
          return true;
        }
        case 'server-up': {
          const id = String(p.id);
          const was = down.get(id);
          if (!was) throw new Error(`local server ${id} is not down`);
          down.delete(id);
          const server = await startServer({ ...was.options, ...(p.options as ServerOptions | undefined), port: was.port });
          servers.set(id, server);
          return describe(id, server);
        }
        case 'server-turn-pause':
          // SIGSTOP: coturn stops answering and relaying, as if the network were cut
          process.kill(coturnPid(coturnOf(p.id).port), 'SIGSTOP');
          return true;
        case 'server-turn-resume':
          process.kill(coturnPid(coturnOf(p.id).port), 'SIGCONT');
          return true;
        case 'server-restart': {
          // same port, fresh process state: what a signalling outage looks like to clients
          const old = get(p.id);
          const { port, turn } = old;
          await old.close();
          const server = await startServer({
            ...started.get(String(p.id)),
            ...(p.options as ServerOptions | undefined),
            port,
            ...(turn ? { turnServer: turn } : {}),
          } as ServerOptions);
          servers.set(String(p.id), server);
          return describe(String(p.id), server);
        }
        case 'server-stats':
          return get(p.id).stats();
        case 'server-set-turn-ttl':
          get(p.id).setTurnTtl(Number(p.seconds));
          return true;
        default:
          return undefined;
      }
    },
    async serverStop() {
      await Promise.all([...servers.values()].map(s => s.close()));
      servers.clear();
      await Promise.all([...coturns.keys()].map(stopCoturn));
    },
  };
}
