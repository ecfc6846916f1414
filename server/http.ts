// Plain HTTP routes next to the WebSocket endpoint: the TURN credentials stand-in,
// the demo's token route, and /healthz. Every response carries CORS headers so a page
// on any origin can read it, errors included (docs/protocol.md §9) — except /api/token,
// which is off unless enabled and then answers only the origins it was enabled for.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type KeyStore, matchesAny, originAllowed } from './keys.ts';
import { mintToken } from './jwt.ts';
import { isValidChannel } from './protocol.ts';
import { type IceServer, iceServers } from './turn-credentials.ts';

export const TURN_CREDENTIALS_PATH = '/api/v1/turn/credentials';
export const TOKEN_PATH = '/api/token';

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type',
};

export interface HttpContext {
  keys: KeyStore;
  /** coturn in use, or the nominal one the credentials point at when none runs (see README). */
  turn(): { port: number; secret: string };
  turnRunning(): boolean;
  turnTtl(): number;
  tokenTtl: number;
  /** Origins (exact or `*` patterns) whose pages may mint from /api/token; empty = the route is off. */
  tokenOrigins: readonly string[];
  health(): Record<string, unknown>;
}

type Cors = Record<string, string>;

function json(res: ServerResponse, status: number, body: unknown, cors: Cors = CORS): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...cors,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers OPTIONS and non-GET methods; returns true when the request is already handled. */
function preflightOrWrongMethod(req: IncomingMessage, res: ServerResponse, cors: Cors = CORS): boolean {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...cors, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    res.end();
    return true;
  }
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET, OPTIONS');
    json(res, 405, { error: 'Method Not Allowed' }, cors);
    return true;
  }
  return false;
}

const originOf = (req: IncomingMessage): string | undefined => (typeof req.headers.origin === 'string' ? req.headers.origin : undefined);

/**
 * The token route's gate. Off (404) unless origins were configured; then only a request whose
 * Origin header matches one of them is served, and CORS names that origin alone. A request
 * without Origin is refused too: browsers always send it on the cross-origin fetch a page makes,
 * and requiring it keeps a DNS-rebound page (whose Origin is its own) out.
 */
function tokenGate(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): Cors | null {
  const vary = { Vary: 'Origin' };
  if (ctx.tokenOrigins.length === 0) {
    json(res, 404, { error: 'Not Found: /api/token is off (start the server with --token-origins <origin>)' }, vary);
    return null;
  }
  const origin = originOf(req);
  if (origin === undefined || !originAllowed({ allowedOrigins: [...ctx.tokenOrigins] }, origin)) {
    json(res, 403, { error: 'origin not allowed to mint tokens' }, vary);
    return null;
  }
  const cors = { ...CORS, 'Access-Control-Allow-Origin': origin, ...vary };
  return preflightOrWrongMethod(req, res, cors) ? null : cors;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  switch (url.pathname) {
    case TURN_CREDENTIALS_PATH:
      if (!preflightOrWrongMethod(req, res)) turnCredentials(url, originOf(req), res, ctx);
      return;
    case TOKEN_PATH: {
      const cors = tokenGate(req, res, ctx);
      if (cors) void token(url, res, ctx, cors);
      return;
    }
    case '/healthz':
      if (!preflightOrWrongMethod(req, res)) json(res, 200, ctx.health());
      return;
    case '/v1':
      json(res, 426, { error: 'Upgrade Required: connect with a WebSocket' });
      return;
    default:
      json(res, 404, { error: 'Not Found' });
  }
}

function turnCredentials(url: URL, origin: string | undefined, res: ServerResponse, ctx: HttpContext): void {
  const apiKey = url.searchParams.get('apiKey');
  // Metered's own error bodies, byte for byte.
  if (!apiKey) return json(res, 400, { error: 'Please specify API Key' });
  const key = ctx.keys.turnKey(apiKey);
  if (!key) return json(res, 401, { error: 'Invalid API Key' });
  // The same rules as the key's WebSocket connections: relay credentials are worth as much.
  if (!originAllowed(key, origin)) return json(res, 403, { error: 'Origin not allowed for this API Key' });
  if (key.suspended) return json(res, 403, { error: 'Account suspended' });
  json(res, 200, iceServers(ctx.turn(), ctx.turnTtl(), key.label));
}

/**
 * GET /api/token?room=<channel>[&ttl=<s>][&name=<display name>] → {"token","expiresAt"}:
 * a JWT for that one room, signed with the first secret key (the dev key sk_live_local
 * without a key file). When coturn runs the token carries metadata.iceServers, which
 * the SDK applies from the welcome (docs/protocol.md §10). A local development convenience,
 * off unless enabled for named origins (tokenGate): whoever may call it can join any room.
 */
async function token(url: URL, res: ServerResponse, ctx: HttpContext, cors: Cors): Promise<void> {
  const room = url.searchParams.get('room');
  if (!isValidChannel(room)) return json(res, 400, { error: 'Please specify a room (1-256 chars)' }, cors);
  const ttlParam = url.searchParams.get('ttl');
  const ttl = ttlParam === null ? ctx.tokenTtl : Number(ttlParam);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86400) return json(res, 400, { error: 'ttl must be 1-86400 seconds' }, cors);
  const name = url.searchParams.get('name');
  if (name !== null && (name.length === 0 || name.length > 64)) return json(res, 400, { error: 'name must be 1-64 chars' }, cors);
  const signer = ctx.keys.secretKeys()[0];
  if (!signer?.secret) return json(res, 404, { error: 'No secret key configured' }, cors);
  if (!matchesAny(signer.channels, room)) return json(res, 403, { error: 'room not allowed for the signing key' }, cors);
  const now = Math.floor(Date.now() / 1000);
  const metadata: { iceServers?: IceServer[] } = {};
  if (ctx.turnRunning()) metadata.iceServers = iceServers(ctx.turn(), Math.max(ctx.turnTtl(), ttl), signer.label);
  try {
    const jwt = await mintToken({
      secret: signer.secret,
      keyId: signer.id,
      room,
      ttlSeconds: ttl,
      now,
      ...(metadata.iceServers ? { metadata } : {}),
      ...(name !== null ? { peerMetadata: { name } } : {}),
    });
    json(res, 200, { token: jwt, expiresAt: now + ttl }, cors);
  } catch (err) {
    json(res, 500, { error: String((err as Error).message) }, cors);
  }
}
