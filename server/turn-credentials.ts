// Stand-in for Metered's TURN credentials endpoint (docs/protocol.md §9): the same JSON
// shape, with credentials made by coturn's TURN REST shared-secret scheme so coturn
// really accepts them and really rejects them once expired.
import { createHmac } from 'node:crypto';

export interface IceServer {
  urls: string;
  username?: string;
  credential?: string;
}

/** coturn `use-auth-secret`: credential = base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** `<unix expiry seconds>:<label>`; a ttl ≤ 0 yields an already-expired credential (tests use it). */
export function turnUsername(ttlSeconds: number, label: string, nowMs = Date.now()): string {
  return `${Math.floor(nowMs / 1000) + Math.round(ttlSeconds)}:${label}`;
}

/**
 * STUN plus TURN over UDP and TCP on coturn's one listening port. Every entry fits the
 * SDK's rules for welcome.metadata.iceServers (≤16 entries, stun:/turn: URLs ≤512 chars).
 */
export function iceServers(turn: { port: number; secret: string }, ttlSeconds: number, label: string, host = '127.0.0.1'): IceServer[] {
  const username = turnUsername(ttlSeconds, label);
  const credential = turnPassword(turn.secret, username);
  const at = `${host}:${turn.port}`;
  return [
    { urls: `stun:${at}` },
    { urls: `turn:${at}?transport=udp`, username, credential },
    { urls: `turn:${at}?transport=tcp`, username, credential },
  ];
}
