// Decides, before the WebSocket upgrade completes, who a connection is and what it may
// do — or which close code refuses it (docs/protocol.md §2, §8.1). Refusals are still sent
// after accepting the upgrade, because browsers cannot read an HTTP status.
import { randomUUID } from 'node:crypto';
import { ACTIONS, type Action, type KeyStore, type ResolvedKey, matchPattern, originAllowed } from './keys.ts';
import { verifyToken } from './jwt.ts';
import { type JsonObject, isPlainObject, isValidChannel, isValidPeerId } from './protocol.ts';

/** Keeps presence snapshots under the SDK's 1 MiB frame cap: 256 members × 2 KiB. */
export const MAX_PEER_METADATA_BYTES = 2048;

export interface Identity {
  peerId: string;
  /** The pk key, or the secret key that signed the token: limits and origins come from it. */
  key: ResolvedKey;
  actions: ReadonlySet<Action>;
  /** Channel patterns from the token's `channels` claim; null = the key's patterns alone. */
  tokenChannels: string[] | null;
  expiresAt: number | null;
  welcomeMetadata?: JsonObject;
  peerMetadata?: JsonObject;
  peerMetadataJson?: string;
  /** True when the peer id came from the token, so a second connection may take it over. */
  stablePeerId: boolean;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; code: number; reason: string };

const refuse = (code: number, reason: string): AuthResult => ({ ok: false, code, reason });

export async function authenticate(params: URLSearchParams, origin: string | undefined, store: KeyStore): Promise<AuthResult> {
  const apiKey = params.get('key');
  const token = params.get('token');
  if (apiKey === null && token === null) return refuse(4001, 'missing key or token');
  if (apiKey !== null && token !== null) return refuse(4001, 'send key or token, not both');
  if (apiKey !== null) return authenticateKey(apiKey, origin, store);
  return authenticateToken(token ?? '', origin, store);
}

function authenticateKey(apiKey: string, origin: string | undefined, store: KeyStore): AuthResult {
  const key = store.get(apiKey);
  if (!key || key.kind === 'turn') return refuse(4001, 'invalid api key');
  // Secret keys sign tokens on a backend; one arriving from a client has leaked (the server's choice, docs/protocol.md §2.2).
  if (key.kind === 'secret') return refuse(4001, 'secret key not allowed');
  if (!originAllowed(key, origin)) return refuse(4001, 'origin not allowed');
  if (key.suspended) return refuse(4012, 'account suspended');
  return {
    ok: true,
    identity: {
      peerId: randomUUID(),
      key,
      actions: key.actions,
      tokenChannels: null,
      expiresAt: null,
      stablePeerId: false,
    },
  };
}

async function authenticateToken(token: string, origin: string | undefined, store: KeyStore): Promise<AuthResult> {
  const verified = await verifyToken(token, store);
  if (!verified.ok) return refuse(verified.code, verified.reason);
  const { key, payload } = verified;
  if (!originAllowed(key, origin)) return refuse(4001, 'origin not allowed');
  if (key.suspended) return refuse(4012, 'account suspended');

  // "Channel claim mismatch at connect" (4003): the URL names no channel, so the only thing
  // checkable at connect is the claim itself — it must be a non-empty list of valid channel
  // patterns, each inside the signing key's own patterns (a key cannot delegate more than it has).
  let tokenChannels: string[] | null = null;
  if (payload.channels !== undefined) {
    const ch = payload.channels;
    if (!Array.isArray(ch) || ch.length === 0 || !ch.every(isValidChannel)) return refuse(4003, 'invalid channels claim');
    if (!ch.every((c: string) => key.channels.some((k) => matchPattern(k, c)))) return refuse(4003, 'channels outside key');
    tokenChannels = ch;
  }

  // `permissions` narrows the key's actions; it can never widen them.
  let actions: ReadonlySet<Action> = key.actions;
  if (payload.permissions !== undefined) {
    const p = payload.permissions;
    if (!Array.isArray(p) || !p.every((x) => typeof x === 'string')) return refuse(4001, 'invalid permissions claim');
    actions = new Set(ACTIONS.filter((a) => p.includes(a) && key.actions.has(a)));
  }

  if (payload.metadata !== undefined && !isPlainObject(payload.metadata)) return refuse(4001, 'invalid metadata claim');
  let peerMetadataJson: string | undefined;
  if (payload.peerMetadata !== undefined) {
    if (!isPlainObject(payload.peerMetadata)) return refuse(4001, 'invalid peerMetadata claim');
    peerMetadataJson = JSON.stringify(payload.peerMetadata);
    if (Buffer.byteLength(peerMetadataJson) > MAX_PEER_METADATA_BYTES) return refuse(4001, 'peerMetadata too large');
  }

  // Stable id: `peerId` claim, else `sub`, else a fresh UUID (the server's choice, docs/protocol.md §2.2).
  if (payload.peerId !== undefined && !isValidPeerId(payload.peerId)) return refuse(4001, 'invalid peerId claim');
  const claimed = (payload.peerId as string | undefined) ?? (isValidPeerId(payload.sub) ? payload.sub : undefined);

  const identity: Identity = {
    peerId: claimed ?? randomUUID(),
    key,
    actions,
    tokenChannels,
    expiresAt: typeof payload.exp === 'number' ? payload.exp : null,
    stablePeerId: claimed !== undefined,
  };
  if (payload.metadata !== undefined) identity.welcomeMetadata = payload.metadata as JsonObject;
  if (peerMetadataJson !== undefined) {
    identity.peerMetadata = payload.peerMetadata as JsonObject;
    identity.peerMetadataJson = peerMetadataJson;
  }
  return { ok: true, identity };
}

/** Channel authorisation for subscribe/publish: inside the key's patterns and, for tokens, the claim's. */
export function channelAllowed(identity: Identity, channel: string): boolean {
  if (!identity.key.channels.some((p) => matchPattern(p, channel))) return false;
  return identity.tokenChannels === null || identity.tokenChannels.some((p) => matchPattern(p, channel));
}
