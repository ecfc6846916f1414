// The token path: instead of one shared publishable key, each visitor gets a short-lived
// JWT for the room from the site's own endpoint (`token-url`) or from the app
// (`tokenProvider`). The first token is fetched before the SDK is created, so a failure
// is reported as `token-failed`; the SDK then calls `provider()` on every connect and
// reconnect, and a timer fetches the next token shortly before the current one expires,
// so a reconnect (e.g. after the server closes an expired session with 4002) never waits.
//
// Defences (issue 16.10): expiry is judged on the server's clock, not the browser's — the
// offset is first estimated from the token's `iat` and then measured from each welcome's
// `serverTime` (`watch()` sees the SDK's sockets); a 4002 on a welcomed socket means the
// server thinks our token expired whatever we think, so the next connect fetches a new one
// (if the endpoint answers with the same token, the server's refusal ends the call); a failed refresh keeps the token it wanted to replace while that one is
// still valid; and refreshes are at least MIN_REFRESH_MS apart, backing off while the
// endpoint keeps answering with a token that expires no later than the one held.
import { MeteredCallError } from '../errors.js';
import { MAX_NAME_LENGTH } from '../protocol/messages.js';

/**
 * What a token endpoint answers with: HTTP 200 and this JSON object.
 *
 * ```json
 * { "token": "eyJhbGciOiJIUzI1NiIs…", "expiresAt": 1767225600 }
 * ```
 */
export interface MeteredCallTokenResponse {
  /** A JWT signed with your Metered secret key (`sk_live_…`), valid for the room. */
  token: string;
  /** When the token stops working, in Unix seconds (the JWT's `exp`). Optional: read from the JWT when absent. */
  expiresAt?: number;
}

/** What a `tokenProvider` is called with. */
export interface MeteredCallTokenRequest {
  /** The room being joined. */
  room: string;
  /** The display name (`name` attribute), possibly empty. */
  name: string;
  /** Aborted when the call is left or the request times out. */
  signal: AbortSignal;
}

/** The element's `tokenProvider` property: returns a token (or the JWT string) for the room. */
export type MeteredCallTokenProvider = (
  request: MeteredCallTokenRequest,
) => Promise<MeteredCallTokenResponse | string> | MeteredCallTokenResponse | string;

const FETCH_TIMEOUT_MS = 10_000;
const MAX_TOKEN_LENGTH = 8192;
/** Refreshes at least this far apart; doubled (up to MAX_REFRESH_BACKOFF_MS) while they bring no later expiry. */
const MIN_REFRESH_MS = 1_000;
const MAX_REFRESH_BACKOFF_MS = 60_000;
/** An `iat` further than this from our clock is taken as clock skew (below it: rounding and latency). */
const IAT_SKEW_THRESHOLD_MS = 5_000;
/** Refresh this long before expiry: a fifth of the token's lifetime, within [1 s, 60 s]. */
const marginFor = (lifetimeMs: number) => Math.min(60_000, Math.max(1_000, lifetimeMs / 5));

/** A token as held: the JWT, its expiry and how early to refresh it. */
export interface Held {
  token: string;
  /** ms since the epoch, or `null` when unknown (then the token is fetched for every connect). */
  expiresAt: number | null;
  margin: number;
}

export interface TokenSourceOptions {
  room: string;
  name: string;
  /** `token-url`: GET <url>?room=…[&name=…] → `MeteredCallTokenResponse`. */
  tokenUrl?: string;
  /** Wins over `tokenUrl`. */
  tokenProvider?: MeteredCallTokenProvider | null;
}

/** What `watch()` needs of a socket (the browser's WebSocket, or the SDK's WebSocketLike). */
export interface SocketEvents {
  addEventListener(type: 'message' | 'close', listener: (event: unknown) => void): void;
}

/** Fetches, validates, caches and refreshes the signalling tokens of one call. */
export class TokenSource {
  /** How many tokens were obtained (for tests and diagnostics). */
  fetches = 0;
  /** The server's clock minus ours, in ms (0 until measured). */
  skewMs = 0;
  private held: Held | null = null;
  /** The token the server closed a welcomed socket over (4002): never offered again. */
  private rejected: string | null = null;
  private inflight: Promise<Held> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFetchAt = -Infinity;
  private refreshGap = MIN_REFRESH_MS;
  /** Whether skewMs came from a welcome (better than a token's whole-second `iat`). */
  private skewFromWelcome = false;
  private readonly stopped = new AbortController();

  constructor(private readonly options: TokenSourceOptions) {}

  /** Whether the options ask for the token path at all. */
  static wanted(options: Pick<TokenSourceOptions, 'tokenUrl' | 'tokenProvider'>): boolean {
    return !!options.tokenProvider || !!options.tokenUrl?.trim();
  }

  /** Expiry of the token held now (ms since the epoch), or `null`. */
  get expiresAt(): number | null {
    return this.held?.expiresAt ?? null;
  }

  /** Gets the first token; rejects with `token-failed` (or `signal`'s reason). */
  async prime(signal?: AbortSignal): Promise<void> {
    const pending = this.fresh();
    if (!signal) return void (await pending);
    await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    ]);
  }

  /** For the SDK's `tokenProvider` option: a token with time left, fetching one if needed. */
  readonly provider = async (): Promise<string> => (await this.fresh()).token;

  /** Stops refreshing and aborts a fetch in flight. Idempotent. */
  stop(): void {
    clearTimeout(this.timer);
    this.stopped.abort(new DOMException('the call ended', 'AbortError'));
    this.held = null;
  }

  /**
   * Watches one of the SDK's signalling sockets (from its `webSocketFactory`): the welcome's
   * `serverTime` gives the clock offset; a 4002 after the welcome rejects the token in use.
   */
  watch(ws: SocketEvents, url: string): void {
    let welcomed = false;
    let token: string | null = null;
    try {
      token = new URL(url).searchParams.get('token');
    } catch {
      // the SDK built the URL; without a token in it there is nothing to reject
    }
    ws.addEventListener('message', ev => {
      const event = ev as { data?: unknown };
      if (welcomed || typeof event.data !== 'string' || !event.data.includes('"welcome"')) return;
      try {
        const frame = JSON.parse(event.data) as { type?: unknown; serverTime?: unknown };
        if (frame.type !== 'welcome') return;
        welcomed = true;
        if (typeof frame.serverTime === 'number' && Number.isFinite(frame.serverTime)) {
          this.skewMs = frame.serverTime - Date.now();
          this.skewFromWelcome = true;
        }
      } catch {
        // not ours to judge: the SDK reports malformed frames
      }
    });
    ws.addEventListener('close', ev => {
      const event = ev as { code?: unknown };
      // the server ended a session over its token's expiry: whatever our clock says, that token is done
      if (event.code === 4002 && welcomed && token !== null) this.rejected = token;
    });
  }

  /** Now on the server's clock (ms since the epoch). */
  private now(): number {
    return Date.now() + this.skewMs;
  }

  private fresh(): Promise<Held> {
    const held = this.usable();
    if (held && held.expiresAt !== null && held.expiresAt - this.now() > held.margin) return Promise.resolve(held);
    // inside the margin: fetch, unless a fetch just happened (then the held token, while valid, is the best there is)
    if (held && this.now() - this.lastFetchAt < this.refreshGap) return Promise.resolve(held);
    return this.fetch().catch((err: unknown) => {
      // a failed refresh does not throw away a token that still works
      const still = this.usable();
      if (still) return still;
      throw err;
    });
  }

  /** The held token if it is still valid on the server's clock and was not rejected by the server. */
  private usable(): Held | null {
    const held = this.held;
    if (!held || held.expiresAt === null || held.token === this.rejected) return null;
    return held.expiresAt > this.now() ? held : null;
  }

  private fetch(): Promise<Held> {
    if (this.inflight) return this.inflight;
    if (this.stopped.signal.aborted) return Promise.reject(this.stopped.signal.reason);
    this.lastFetchAt = this.now();
    const previous = this.held;
    const inflight = this.obtain()
      .then(held => {
        this.fetches++;
        if (!this.stopped.signal.aborted) {
          // back off while the endpoint brings no later expiry (e.g. the same nearly-expired token)
          const later = held.expiresAt === null || previous?.expiresAt == null || held.expiresAt > previous.expiresAt;
          this.refreshGap = later ? MIN_REFRESH_MS : Math.min(this.refreshGap * 2, MAX_REFRESH_BACKOFF_MS);
          // an unknown expiry is not cached: the next connect fetches again
          this.held = held.expiresAt === null ? null : held;
          this.schedule(held);
        }
        return held;
      })
      .finally(() => {
        if (this.inflight === inflight) this.inflight = null;
      });
    this.inflight = inflight;
    // a failed refresh is retried on the timer (backing off), and reported when the SDK next asks
    inflight.catch(() => {
      if (this.stopped.signal.aborted) return;
      this.refreshGap = Math.min(this.refreshGap * 2, MAX_REFRESH_BACKOFF_MS);
      if (this.held) this.schedule(this.held);
    });
    return inflight;
  }

  /** Fetch the next token shortly before this one expires, never sooner than the refresh gap. */
  private schedule(held: Held): void {
    clearTimeout(this.timer);
    if (held.expiresAt === null) return;
    const dueIn = held.expiresAt - held.margin - this.now();
    const gapLeft = this.lastFetchAt + this.refreshGap - this.now();
    const delay = Math.max(0, dueIn, gapLeft);
    if (held.expiresAt - this.now() <= 0) return; // expired: the next connect fetches
    this.timer = setTimeout(() => {
      this.fetch().catch(() => {});
    }, Math.min(delay, 2 ** 31 - 1));
  }

  private async obtain(): Promise<Held> {
    const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
    const signal = AbortSignal.any([this.stopped.signal, timeout]);
    let answer: unknown;
    try {
      answer = this.options.tokenProvider
        ? await this.options.tokenProvider({ room: this.options.room, name: this.options.name, signal })
        : await fetchFromUrl(this.options.tokenUrl ?? '', this.options, signal);
    } catch (err) {
      if (this.stopped.signal.aborted) throw this.stopped.signal.reason;
      if (err instanceof MeteredCallError) throw err;
      const detail = timeout.aborted
        ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s`
        : this.options.tokenProvider
          ? `tokenProvider threw: ${describe(err)}`
          : 'network error';
      throw new MeteredCallError('token-failed', { detail }, { cause: err });
    }
    // The same token the server refused may come back (an endpoint caching it): it is handed on
    // as it is — refetched once, then the server's refusal at connect (4002 before a welcome)
    // ends the call with token-expired instead of a reconnect storm (signalling-health.ts).
    return parseTokenAnswer(answer, this.now(), this.skewFromWelcome ? null : this);
  }
}

/**
 * The SDK options with their `webSocketFactory` wrapped so `tokens` watches every signalling
 * socket (welcome `serverTime`, 4002 after a welcome). Unchanged without a TokenSource.
 */
export function withTokenWatch<S extends SocketEvents, T extends { webSocketFactory?: ((url: string) => S) | undefined }>(
  options: T | undefined,
  tokens: TokenSource | null,
): Partial<T> {
  if (!tokens) return options ?? {};
  const create = options?.webSocketFactory ?? ((url: string) => new WebSocket(url) as unknown as S);
  return {
    ...options,
    webSocketFactory: (url: string) => {
      const ws = create(url);
      tokens.watch(ws, url);
      return ws;
    },
  } as Partial<T>;
}

async function fetchFromUrl(tokenUrl: string, o: TokenSourceOptions, signal: AbortSignal): Promise<unknown> {
  let url: URL;
  try {
    url = new URL(tokenUrl.trim(), typeof document === 'undefined' ? undefined : document.baseURI);
  } catch {
    throw new MeteredCallError('invalid-config', { detail: `token-url "${tokenUrl}" is not a URL` });
  }
  url.searchParams.set('room', o.room);
  if (o.name.trim()) url.searchParams.set('name', o.name.trim().slice(0, MAX_NAME_LENGTH));
  const response = await fetch(url, { signal, cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!response.ok) {
    throw new MeteredCallError('token-failed', { detail: `HTTP ${response.status} from token-url` });
  }
  try {
    return await response.json();
  } catch (err) {
    throw new MeteredCallError('token-failed', { detail: 'token-url did not answer with JSON' }, { cause: err });
  }
}

/**
 * A `{ token, expiresAt? }` object or a bare JWT → what we hold; throws `token-failed` otherwise.
 * `now` is on the server's clock as far as known; with `skew`, a JWT `iat` far from it first
 * corrects that estimate (the token issuer's clock is the best one known before a welcome).
 */
export function parseTokenAnswer(answer: unknown, now: number, skew: { skewMs: number } | null = null): Held {
  const body = typeof answer === 'string' ? { token: answer } : (answer as Partial<MeteredCallTokenResponse> | null);
  const token = body?.token;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) {
    throw new MeteredCallError('token-failed', { detail: 'the answer has no "token" string' });
  }
  let seconds: number | null = null;
  if (body?.expiresAt !== undefined && body.expiresAt !== null) {
    if (typeof body.expiresAt !== 'number' || !Number.isFinite(body.expiresAt)) {
      throw new MeteredCallError('token-failed', { detail: '"expiresAt" must be a number of Unix seconds' });
    }
    // tolerate milliseconds: no token expires after the year 5138
    seconds = body.expiresAt > 1e11 ? body.expiresAt / 1000 : body.expiresAt;
  } else {
    seconds = jwtExpiry(token);
  }
  const expiresAt = seconds === null ? null : seconds * 1000;
  // Expired by our clock, but issued long before "now": our clock is ahead of the issuer's. Judge
  // on the issuer's clock instead (only then: a cached token's old `iat` must not move the clock).
  const iat = jwtClaim(token, 'iat');
  if (skew && expiresAt !== null && expiresAt <= now && iat !== null && now - iat * 1000 > IAT_SKEW_THRESHOLD_MS) {
    skew.skewMs += iat * 1000 - now;
    now = iat * 1000;
  }
  if (expiresAt !== null && expiresAt <= now) {
    throw new MeteredCallError('token-failed', { detail: 'the token has already expired (check the server clock and the token lifetime)' });
  }
  return { token, expiresAt, margin: expiresAt === null ? 0 : marginFor(expiresAt - now) };
}

/** The `exp` claim of a JWT (Unix seconds), or `null`. The signature is the server's business. */
export function jwtExpiry(token: string): number | null {
  return jwtClaim(token, 'exp');
}

/** A numeric claim of a JWT, or `null`. */
function jwtClaim(token: string, claim: 'exp' | 'iat'): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const value = (JSON.parse(json) as Record<string, unknown>)[claim];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  } catch {
    return null;
  }
}

function describe(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, 120);
}
