// The JWT path (`/v1?token=…`): HS256 tokens signed with a secret key's secret.
// Verification finds the signing key (by `kid`, else by trying each secret key) and
// maps failures onto Metered's close codes; minting is used by /api/token and tests.
import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import type { Action, KeyStore, ResolvedKey } from './keys.ts';
import type { JsonObject } from './protocol.ts';

export interface MintOptions {
  /** The secret key's HS256 secret (for keys from the key file: `secret`, or the key string). */
  secret: string;
  /** Put in the `kid` header so the server need not try every secret key: the key's public id (`publicKeyId`), never the key. */
  keyId?: string;
  /** Shorthand for `channels: [room]`. */
  room?: string;
  /** Channel patterns the token may use (must lie within the signing key's patterns). */
  channels?: string[];
  ttlSeconds: number;
  permissions?: Action[];
  /** Passed through as `welcome.metadata` (e.g. `{ iceServers: [...] }`). */
  metadata?: JsonObject;
  /** Shown to others as presence `metadata` and `fromMetadata`. */
  peerMetadata?: JsonObject;
  /** A stable peer id; otherwise the server uses `sub`, else a fresh UUID. */
  peerId?: string;
  sub?: string;
  /** Issue time in Unix seconds (default: now), so a caller can report the same `exp`. */
  now?: number;
}

const encoder = new TextEncoder();

export async function mintToken(o: MintOptions): Promise<string> {
  const claims: JWTPayload = {};
  const channels = o.channels ?? (o.room === undefined ? undefined : [o.room]);
  if (channels) claims.channels = channels;
  if (o.permissions) claims.permissions = o.permissions;
  if (o.metadata) claims.metadata = o.metadata;
  if (o.peerMetadata) claims.peerMetadata = o.peerMetadata;
  if (o.peerId) claims.peerId = o.peerId;
  const now = o.now ?? Math.floor(Date.now() / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader(o.keyId ? { alg: 'HS256', typ: 'JWT', kid: o.keyId } : { alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(now)
    .setExpirationTime(now + Math.round(o.ttlSeconds));
  if (o.sub) jwt.setSubject(o.sub);
  return jwt.sign(encoder.encode(o.secret));
}

export type VerifyResult =
  | { ok: true; key: ResolvedKey; payload: JWTPayload }
  | { ok: false; code: 4001 | 4002; reason: string };

export async function verifyToken(token: string, store: KeyStore): Promise<VerifyResult> {
  let kid: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== 'HS256') return { ok: false, code: 4001, reason: 'unsupported token algorithm' };
    kid = header.kid;
  } catch {
    return { ok: false, code: 4001, reason: 'malformed token' };
  }
  const named = kid === undefined ? undefined : store.byPublicId(kid);
  const candidates = named ? [named] : store.secretKeys();
  for (const key of candidates) {
    try {
      // `exp` is required: a token without one would never expire
      const { payload } = await jwtVerify(token, encoder.encode(key.secret ?? ''), { algorithms: ['HS256'], requiredClaims: ['exp'] });
      return { ok: true, key, payload };
    } catch (err) {
      // jose checks the signature before the claims, so "expired" means "ours, but expired".
      if (err instanceof errors.JWTExpired) return { ok: false, code: 4002, reason: 'token expired' };
      if (err instanceof errors.JWSSignatureVerificationFailed) continue;
      return { ok: false, code: 4001, reason: 'invalid token' };
    }
  }
  return { ok: false, code: 4001, reason: 'bad token signature' };
}
