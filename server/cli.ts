// `npm run server -- [flags]`: the local server in the foreground. Prints one line saying
// where it listens, logs JSON lines to stderr, stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { DEV_PUBLISHABLE_KEY, startServer } from './index.ts';

const HELP = `Usage: npm run server -- [options]

Local Metered-compatible server: signalling for the SDK's url option (ws://127.0.0.1:<port>,
the SDK appends /v1?key=… or /v1?token=…) and the TURN credentials stand-in
(GET /api/v1/turn/credentials?apiKey=…), backed by a private coturn when installed.

Options:
  --port <n>              port to listen on (default 8080; 0 = any free port)
  --host <addr>           address to bind (default 127.0.0.1)
  --keys <file>           JSON key file (see server/keys.example.json); default: dev key pk_live_local
  --no-turn               do not start coturn (the credentials endpoint still answers)
  --turn-ttl <s>          lifetime of TURN credentials in seconds (default 14400)
  --max-message-size <n>  cap on a message's serialised data in bytes (default 65536)
  --ping-interval <ms>    WS ping cadence for dead-socket reaping (default 30000)
  --max-connections-per-address <n>
                          open connections allowed from one client address (default 100)
  --limit-loopback        apply that limit to loopback clients too (exempt by default)
  --token-origins <list>  turn on GET /api/token for pages of these comma-separated origins
                          (e.g. http://localhost:8000); off by default
  --log-frames            log every frame in and out (time, peer, direction, type, size); payloads
                          (chat, SDP, names) appear as their size only
  --log-payloads          with --log-frames: show payloads too (SDP abbreviated; credentials never)
  --fault-late-presence   fault mode: a newcomer's direct messages arrive before the presence announcing it
  --quiet                 no logs on stderr (the startup line is still printed)
  -h, --help              show this help
`;

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(`--${name} expects an integer, got "${value}"`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      keys: { type: 'string' },
      turn: { type: 'boolean', default: true },
      'turn-ttl': { type: 'string' },
      'max-message-size': { type: 'string' },
      'ping-interval': { type: 'string' },
      'token-origins': { type: 'string' },
      'max-connections-per-address': { type: 'string' },
      'limit-loopback': { type: 'boolean', default: false },
      'log-frames': { type: 'boolean', default: false },
      'log-payloads': { type: 'boolean', default: false },
      'fault-late-presence': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowNegative: true, // --no-turn
    strict: true,
  });
  if (values.help) {
    process.stdout.on('error', () => {}); // `--help | head` closes the pipe early
    process.stdout.write(HELP);
    return;
  }
  // Handlers go in before anything starts: a signal during startup must still stop coturn.
  let stopRequested: string | null = null;
  let stop = (signal: string): void => {
    stopRequested = signal;
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const server = await startServer({
    port: int('port', values.port) ?? 8080,
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.keys !== undefined ? { keys: values.keys } : {}),
    turn: values.turn,
    ...(values['turn-ttl'] !== undefined ? { turnTtl: int('turn-ttl', values['turn-ttl']) } : {}),
    ...(values['max-message-size'] !== undefined ? { maxMessageSize: int('max-message-size', values['max-message-size']) } : {}),
    ...(values['ping-interval'] !== undefined ? { pingIntervalMs: int('ping-interval', values['ping-interval']) } : {}),
    ...(values['token-origins'] !== undefined ? { tokenOrigins: values['token-origins'].split(',').map((o) => o.trim()).filter(Boolean) } : {}),
    ...(values['max-connections-per-address'] !== undefined
      ? { maxConnectionsPerAddress: int('max-connections-per-address', values['max-connections-per-address']) }
      : {}),
    limitLoopback: values['limit-loopback'],
    log: !values.quiet,
    logFrames: values['log-frames'] && !values.quiet,
    logPayloads: values['log-payloads'],
    faultLatePresence: values['fault-late-presence'],
  });
  const key = values.keys === undefined ? DEV_PUBLISHABLE_KEY : '<key>';
  process.stdout.write(
    `metered local server: signalling ${server.wsUrl} · TURN credentials ${server.turnCredentialsUrl}?apiKey=${key} · ${server.turnStatus} · ${server.tokenStatus}\n`,
  );
  let stopping = false;
  stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`error while stopping on ${signal}: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  if (stopRequested !== null) stop(stopRequested);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
