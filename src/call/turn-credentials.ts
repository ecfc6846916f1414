// TURN credentials from Metered's TURN REST API (or a stand-in at `turn-url`):
// one abortable fetch, a strict check of the response, and the expiry read from the
// REST username `<unix expiry>:<label>`. Renewal before expiry builds on `expiresAt`.
import { MeteredCallError } from '../errors.js';

/** Used when no TURN app is configured: STUN only (Metered's public STUN server). */
export const DEFAULT_STUN: RTCIceServer[] = [{ urls: 'stun:stun.relay.metered.ca:80' }];

const FETCH_TIMEOUT_MS = 10_000;
const MAX_SERVERS = 16;
const MAX_URL_LENGTH = 512;
const MAX_SECRET_LENGTH = 1024;

export interface TurnSource {
  /** Full credentials URL; wins over `turnApp`. */
  turnUrl?: string;
  turnApp?: string;
  turnApiKey?: string;
}

export interface IceServerSet {
  iceServers: RTCIceServer[];
  /** Unix seconds at which the TURN credentials stop working, or `null` (STUN only / unknown). */
  expiresAt: number | null;
  /** Where they came from (`null` = built-in STUN). */
  source: string | null;
}

/** The URL to fetch, or `null` when the element runs without TURN. */
export function turnCredentialsUrl({ turnUrl, turnApp, turnApiKey }: TurnSource): string | null {
  if (turnUrl) return turnUrl;
  if (!turnApp) return null;
  const app = encodeURIComponent(turnApp.trim());
  return `https://${app}.metered.live/api/v1/turn/credentials?apiKey=${encodeURIComponent(turnApiKey ?? '')}`;
}

/** Fetches and validates ICE servers; rejects with `turn-credentials-failed` (or the abort reason). */
export async function loadIceServers(source: TurnSource, signal?: AbortSignal): Promise<IceServerSet> {
  const url = turnCredentialsUrl(source);
  if (!url) return { iceServers: DEFAULT_STUN, expiresAt: null, source: null };
  if (source.turnApp && !source.turnUrl && !source.turnApiKey) {
    throw new MeteredCallError('turn-credentials-failed', { detail: 'turn-app is set but turn-api-key is missing' });
  }
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let body: unknown;
  try {
    const response = await fetch(url, { signal: combined, cache: 'no-store', credentials: 'omit' });
    if (!response.ok) {
      throw new MeteredCallError('turn-credentials-failed', {
        detail: response.status === 401 ? 'HTTP 401: the TURN API key was refused' : `HTTP ${response.status}`,
      });
    }
    body = await response.json();
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof MeteredCallError) throw err;
    const detail = timeout.aborted ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s` : 'network error or invalid JSON';
    throw new MeteredCallError('turn-credentials-failed', { detail }, { cause: err });
  }
  const iceServers = validateIceServers(body);
  if (!iceServers) throw new MeteredCallError('turn-credentials-failed', { detail: 'the response is not a list of ICE servers' });
  return { iceServers, expiresAt: expiryOf(iceServers), source: url };
}

/** The response must be a non-empty array of RTCIceServer-shaped objects within the SDK's limits. */
export function validateIceServers(body: unknown): RTCIceServer[] | null {
  if (!Array.isArray(body) || body.length === 0 || body.length > MAX_SERVERS) return null;
  const out: RTCIceServer[] = [];
  for (const entry of body) {
    if (typeof entry !== 'object' || entry === null) return null;
    const { urls, username, credential } = entry as Record<string, unknown>;
    const list = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : null;
    if (!list || list.length === 0) return null;
    for (const u of list) {
      if (typeof u !== 'string' || u.length > MAX_URL_LENGTH || !/^(stuns?|turns?):/i.test(u)) return null;
    }
    const server: RTCIceServer = { urls: typeof urls === 'string' ? urls : [...(list as string[])] };
    const isTurn = list.some(u => /^turns?:/i.test(u as string));
    if (isTurn) {
      if (typeof username !== 'string' || typeof credential !== 'string') return null;
      if (username.length > MAX_SECRET_LENGTH || credential.length > MAX_SECRET_LENGTH) return null;
      server.username = username;
      server.credential = credential;
    }
    out.push(server);
  }
  return out;
}

/** Earliest `<unix>:` prefix among TURN usernames (TURN REST credentials), or `null`. */
export function expiryOf(servers: RTCIceServer[]): number | null {
  let earliest: number | null = null;
  for (const s of servers) {
    const m = typeof s.username === 'string' ? /^(\d{9,11}):/.exec(s.username) : null;
    if (m) {
      const t = Number(m[1]);
      if (earliest === null || t < earliest) earliest = t;
    }
  }
  return earliest;
}
