// wtr plugin: lets browser tests start, stop and inspect real local Metered servers
// (signalling + TURN stand-in + coturn) through `executeServerCommand`.
import type { TestRunnerPlugin } from '@web/test-runner';
import { startServer, type RunningServer, type ServerOptions } from '../../server/index.js';

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

export function localServerPlugin(): TestRunnerPlugin {
  const servers = new Map<string, RunningServer>();
  let next = 0;
  const get = (id: unknown) => {
    const s = servers.get(String(id));
    if (!s) throw new Error(`no local server with id ${String(id)}`);
    return s;
  };

  return {
    name: 'metered-local-server',
    async executeCommand({ command, payload }) {
      const p = (payload ?? {}) as Record<string, unknown>;
      switch (command) {
        case 'server-start': {
          const id = `s${++next}`;
          const server = await startServer({ port: 0, ...(p.options as ServerOptions | undefined) });
          servers.set(id, server);
          return describe(id, server);
        }
        case 'server-stop': {
          const server = get(p.id);
          servers.delete(String(p.id));
          await server.close();
          return true;
        }
        case 'server-restart': {
          // same port, fresh process state: what a signalling outage looks like to clients
          const old = get(p.id);
          const { port, turn } = old;
          await old.close();
          const server = await startServer({
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
    },
  };
}
