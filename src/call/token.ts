// The token path: instead of one shared publishable key, each visitor gets a short-lived
// JWT for the room from the site's own endpoint (`token-url`) or from the app
// (`tokenProvider`). The first token is fetched before the SDK is created, so a failure
// is reported as `token-failed`; the SDK then calls `provider()` on every connect and
// reconnect, and a timer fetches the next token shortly before the current one expires,
// so a reconnect (e.g. after the server closes an expired session with 4002) never waits.
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

/** Fetches, validates, caches and refreshes the signalling tokens of one call. */
export class TokenSource {
  /** How many tokens were obtained (for tests and diagnostics). */
  fetches = 0;
  private held: Held | null = null;
  private inflight: Promise<Held> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
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

  private fresh(): Promise<Held> {
    const held = this.held;
    if (held && held.expiresAt !== null && held.expiresAt - Date.now() > held.margin) return Promise.resolve(held);
    return this.fetch();
  }

  private fetch(): Promise<Held> {
    if (this.inflight) return this.inflight;
    if (this.stopped.signal.aborted) return Promise.reject(this.stopped.signal.reason);
    const inflight = this.obtain()
      .then(held => {
        this.fetches++;
        if (!this.stopped.signal.aborted) {
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
    return inflight;
  }

  /** Fetch the next token shortly before this one expires. */
  private schedule(held: Held): void {
    clearTimeout(this.timer);
    if (held.expiresAt === null) return;
    const delay = Math.max(0, held.expiresAt - held.margin - Date.now());
    this.timer = setTimeout(() => {
      // a failed refresh is retried when the SDK next asks, and reported then
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
    return parseTokenAnswer(answer, Date.now());
  }
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

/** A `{ token, expiresAt? }` object or a bare JWT → what we hold; throws `token-failed` otherwise. */
export function parseTokenAnswer(answer: unknown, now: number): Held {
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
  if (expiresAt !== null && expiresAt <= now) {
    throw new MeteredCallError('token-failed', { detail: 'the token has already expired (check the server clock and the token lifetime)' });
  }
  return { token, expiresAt, margin: expiresAt === null ? 0 : marginFor(expiresAt - now) };
}

/** The `exp` claim of a JWT (Unix seconds), or `null`. The signature is the server's business. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : null;
  } catch {
    return null;
  }
}

function describe(err: unknown): string {
  const message = (err as Error)?.message ?? String(err);
  // eslint-disable-next-line no-control-regex
  return message.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim().slice(0, 120);
}
