// Plain HTTP routes next to the WebSocket endpoint: the TURN credentials stand-in,
// the demo's token route, and /healthz. Every response carries CORS headers so a page
// on any origin can read it, errors included (protocol.md §8.2).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type KeyStore, matchesAny } from './keys.ts';
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
  health(): Record<string, unknown>;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...CORS,
    'Content-Type': 'application/json',
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers OPTIONS and non-GET methods; returns true when the request is already handled. */
function preflightOrWrongMethod(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    res.end();
    return true;
  }
  if (req.method !== 'GET') {
    res.setHeader('Allow', 'GET, OPTIONS');
    json(res, 405, { error: 'Method Not Allowed' });
    return true;
  }
  return false;
}

export function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: HttpContext): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  switch (url.pathname) {
    case TURN_CREDENTIALS_PATH:
      if (!preflightOrWrongMethod(req, res)) turnCredentials(url, res, ctx);
      return;
    case TOKEN_PATH:
      if (!preflightOrWrongMethod(req, res)) void token(url, res, ctx);
      return;
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

function turnCredentials(url: URL, res: ServerResponse, ctx: HttpContext): void {
  const apiKey = url.searchParams.get('apiKey');
  // Metered's own error bodies, byte for byte.
  if (!apiKey) return json(res, 400, { error: 'Please specify API Key' });
  const key = ctx.keys.turnKey(apiKey);
  if (!key) return json(res, 401, { error: 'Invalid API Key' });
  json(res, 200, iceServers(ctx.turn(), ctx.turnTtl(), key.label));
}

/**
 * GET /api/token?room=<channel>[&ttl=<s>][&name=<display name>] → {"token","expiresAt"}:
 * a JWT for that one room, signed with the first secret key (the dev key sk_live_local
 * without a key file). When coturn runs the token carries metadata.iceServers, which
 * the SDK applies from the welcome (protocol.md §8.3). A local development convenience:
 * anyone who can reach the server can mint, so never expose it beyond loopback.
 */
async function token(url: URL, res: ServerResponse, ctx: HttpContext): Promise<void> {
  const room = url.searchParams.get('room');
  if (!isValidChannel(room)) return json(res, 400, { error: 'Please specify a room (1-256 chars)' });
  const ttlParam = url.searchParams.get('ttl');
  const ttl = ttlParam === null ? ctx.tokenTtl : Number(ttlParam);
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86400) return json(res, 400, { error: 'ttl must be 1-86400 seconds' });
  const name = url.searchParams.get('name');
  if (name !== null && (name.length === 0 || name.length > 64)) return json(res, 400, { error: 'name must be 1-64 chars' });
  const signer = ctx.keys.secretKeys()[0];
  if (!signer?.secret) return json(res, 404, { error: 'No secret key configured' });
  if (!matchesAny(signer.channels, room)) return json(res, 403, { error: 'room not allowed for the signing key' });
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
    json(res, 200, { token: jwt, expiresAt: now + ttl });
  } catch (err) {
    json(res, 500, { error: String((err as Error).message) });
  }
}
