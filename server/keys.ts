// API keys: the JSON key file format, its validation, and the questions the rest of
// the server asks about a key (which channels, which actions, which origins, which limits).
// The format is documented in server/README.md; server/keys.example.json shows it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ACTIONS = ['subscribe', 'publish', 'presence', 'send'] as const;
export type Action = (typeof ACTIONS)[number];
export type KeyKind = 'publishable' | 'secret' | 'turn';

export interface KeyLimits {
  /** Inbound frames per second per connection (token bucket, burst = 2×). Breach → close 4011. */
  messagesPerSecond?: number;
  /** Concurrent connections per key. Breach → close 4010. */
  maxConnections?: number;
  /** Channels one connection may be subscribed to. Breach → error channel_limit_exceeded. */
  maxSubscriptions?: number;
}

export interface KeyConfig {
  /** The key string clients present: `pk_live_…` (publishable), `sk_live_…` (secret), or any string for kind `turn`. */
  key: string;
  /** Defaults from the prefix: `sk_` → secret, anything else → publishable. */
  kind?: KeyKind;
  /** Secret keys only: the HS256 signing secret. Defaults to the key string itself (as at Metered: the sk_ key signs). */
  secret?: string;
  /**
   * Keys with the same `app` share one namespace of channels and peer ids: their clients see each
   * other, message and direct each other. Keys of different apps never do. Default: the key alone.
   */
  app?: string;
  /** Channel patterns, `*` matches any run of characters. Default `["*"]`. */
  channels?: string[];
  /** Default for publishable keys: subscribe, publish, presence — `send` is off, as at Metered. */
  actions?: Action[];
  /** Exact origins or `*` patterns (`http://localhost:*`). Absent = any origin, including none. */
  allowedOrigins?: string[];
  limits?: KeyLimits;
  /** Suffix of TURN usernames minted for this key (`<expiry>:<label>`). Default `local`. */
  label?: string;
  /** A suspended account: connections are closed with 4012. */
  suspended?: boolean;
}

/** A key with every default filled in. */
export interface ResolvedKey {
  key: string;
  /** A public fingerprint of `key` (never the key): the JWT `kid` and what the logs show. */
  id: string;
  app: string;
  kind: KeyKind;
  secret: string | null;
  channels: string[];
  actions: ReadonlySet<Action>;
  allowedOrigins: string[] | null;
  limits: Required<KeyLimits>;
  label: string;
  suspended: boolean;
}

// Metered's quotas are not visible in the SDK (docs/protocol.md §6); these are generous local
// defaults that a video call (SDP + a few dozen ICE candidates in a burst) never reaches.
export const DEFAULT_LIMITS: Required<KeyLimits> = {
  messagesPerSecond: 100,
  maxConnections: 1000,
  maxSubscriptions: 100,
};

export const DEV_PUBLISHABLE_KEY = 'pk_live_local';
export const DEV_SECRET_KEY = 'sk_live_local';

/**
 * Used when no key file is given: one publishable key with every action a call needs, plus a
 * signing key for /api/token, both in one app. The dev secret key's name is public, so its
 * signing secret is random per process: nobody can mint tokens for a dev server but the server.
 */
export function devKeys(): KeyConfig[] {
  return [
    { key: DEV_PUBLISHABLE_KEY, kind: 'publishable', actions: [...ACTIONS], app: 'local' },
    { key: DEV_SECRET_KEY, kind: 'secret', actions: [...ACTIONS], app: 'local', secret: randomBytes(32).toString('base64url') },
  ];
}

/** The key's public id: `kid_` + 16 base64url characters of SHA-256(key). Safe to put in tokens and logs. */
export function publicKeyId(key: string): string {
  return `kid_${createHash('sha256').update(key).digest('base64url').slice(0, 16)}`;
}

/** Glob match where `*` is the only special character. */
export function matchPattern(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const parts = pattern.split('*');
  const first = parts[0] ?? '';
  const last = parts[parts.length - 1] ?? '';
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let pos = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] ?? '';
    const at = value.indexOf(part, pos);
    if (at < 0 || at + part.length > end) return false;
    pos = at + part.length;
  }
  return true;
}

export function matchesAny(patterns: readonly string[], value: string): boolean {
  return patterns.some((p) => matchPattern(p, value));
}

function normaliseOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase();
}

/** True when `origin` may use `key`. A missing Origin is only fine for keys without allowedOrigins (docs/protocol.md §2.1). */
export function originAllowed(key: Pick<ResolvedKey, 'allowedOrigins'>, origin: string | undefined): boolean {
  if (key.allowedOrigins === null) return true;
  if (origin === undefined) return false;
  const o = normaliseOrigin(origin);
  return key.allowedOrigins.some((p) => matchPattern(normaliseOrigin(p), o));
}

function fail(where: string, what: string): never {
  throw new Error(`key file: ${where}: ${what}`);
}

function stringArray(v: unknown, where: string, field: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x.length === 0)) {
    fail(where, `"${field}" must be an array of non-empty strings`);
  }
  return v as string[];
}

function positiveInt(v: unknown, where: string, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) fail(where, `"limits.${field}" must be a positive integer`);
  return v;
}

export function resolveKey(raw: unknown, index: number): ResolvedKey {
  const where = `keys[${index}]`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(where, 'must be an object');
  const k = raw as Record<string, unknown>;
  if (typeof k.key !== 'string' || k.key.length === 0) fail(where, '"key" must be a non-empty string');
  const kind = (k.kind ?? (k.key.startsWith('sk_') ? 'secret' : 'publishable')) as KeyKind;
  if (!['publishable', 'secret', 'turn'].includes(kind)) fail(where, '"kind" must be publishable, secret or turn');
  if (k.secret !== undefined && (kind !== 'secret' || typeof k.secret !== 'string' || k.secret.length === 0)) {
    fail(where, '"secret" is a non-empty string and only valid on secret keys');
  }
  const actions = stringArray(k.actions, where, 'actions');
  for (const a of actions ?? []) if (!(ACTIONS as readonly string[]).includes(a)) fail(where, `unknown action "${a}"`);
  const limitsRaw = k.limits ?? {};
  if (typeof limitsRaw !== 'object' || limitsRaw === null) fail(where, '"limits" must be an object');
  const l = limitsRaw as Record<string, unknown>;
  if (k.app !== undefined && (typeof k.app !== 'string' || k.app.length === 0)) fail(where, '"app" must be a non-empty string');
  return {
    key: k.key,
    id: publicKeyId(k.key),
    app: (k.app as string | undefined) ?? `key:${k.key}`,
    kind,
    secret: kind === 'secret' ? ((k.secret as string | undefined) ?? k.key) : null,
    channels: stringArray(k.channels, where, 'channels') ?? ['*'],
    actions: new Set((actions ?? ['subscribe', 'publish', 'presence']) as Action[]),
    allowedOrigins: stringArray(k.allowedOrigins, where, 'allowedOrigins') ?? null,
    limits: {
      messagesPerSecond: positiveInt(l.messagesPerSecond, where, 'messagesPerSecond') ?? DEFAULT_LIMITS.messagesPerSecond,
      maxConnections: positiveInt(l.maxConnections, where, 'maxConnections') ?? DEFAULT_LIMITS.maxConnections,
      maxSubscriptions: positiveInt(l.maxSubscriptions, where, 'maxSubscriptions') ?? DEFAULT_LIMITS.maxSubscriptions,
    },
    label: typeof k.label === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(k.label) ? k.label : 'local',
    suspended: k.suspended === true,
  };
}

export class KeyStore {
  private readonly byKey = new Map<string, ResolvedKey>();
  private readonly byId = new Map<string, ResolvedKey>();

  constructor(keys: readonly unknown[]) {
    keys.forEach((raw, i) => {
      const k = resolveKey(raw, i);
      // never echo a key string: errors end up in terminals and CI logs
      if (this.byKey.has(k.key)) fail(`keys[${i}]`, 'duplicate key (the same "key" appears earlier in the file)');
      this.byKey.set(k.key, k);
      this.byId.set(k.id, k);
    });
  }

  /** `keys`: an array, a path to a JSON file (`{"keys":[…]}` or a bare array), or undefined for the dev keys. */
  static from(keys: KeyConfig[] | string | undefined): KeyStore {
    if (keys === undefined) return new KeyStore(devKeys());
    if (Array.isArray(keys)) return new KeyStore(keys);
    let text: string;
    try {
      text = readFileSync(keys, 'utf8');
    } catch (err) {
      throw new Error(`key file ${keys}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      // JSON.parse's message quotes the text around the error, which may be a secret: give the place only
      throw new Error(`key file ${keys}: not valid JSON${jsonErrorPlace(text, (err as Error).message)}`);
    }
    const list = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(list)) throw new Error(`key file ${keys}: expected {"keys": [...]}`);
    return new KeyStore(list);
  }

  get(key: string): ResolvedKey | undefined {
    return this.byKey.get(key);
  }

  /** A secret key by its public id (a token's `kid`). */
  byPublicId(id: string): ResolvedKey | undefined {
    const k = this.byId.get(id);
    return k?.kind === 'secret' ? k : undefined;
  }

  secretKeys(): ResolvedKey[] {
    return [...this.byKey.values()].filter((k) => k.kind === 'secret');
  }

  /** The TURN stand-in accepts publishable keys and keys of kind `turn`, never secret keys. */
  turnKey(apiKey: string): ResolvedKey | undefined {
    const k = this.byKey.get(apiKey);
    return k && k.kind !== 'secret' ? k : undefined;
  }
}

/** " (line L, column C)" from a JSON.parse message that names a position, else "". */
function jsonErrorPlace(text: string, message: string): string {
  const at = /position (\d+)/.exec(message);
  if (!at) return '';
  const before = text.slice(0, Number(at[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}
