// TURN credentials expire (Metered's last a few hours; the tutorial's first pitfall). This
// renews them before they do — at a margin of their lifetime, read from the REST username
// (`<unix expiry>:<label>`) or configured — and applies them to every live connection:
// `setConfiguration` (so every future gathering uses them) and, where the connection
// depends on a relay allocation made with the old credentials (or is not connected), an
// ICE restart, which moves it to a fresh allocation while the old path keeps carrying
// media. New connections take `current` from the peer-connection factory. A failed renewal
// is retried with backoff and reported once as a non-fatal `turn-renewal-failed`; the call
// goes on with the credentials it has.
import { MeteredCallError } from '../errors.js';
import { loadIceServers, type IceServerSet, type TurnSource } from './turn-credentials.js';

export interface TurnRenewalOptions {
  /** Renew when this fraction of the lifetime is left. Default 0.5. */
  margin?: number;
  /** Never renew earlier than this before expiry, ms. Default 30 minutes. */
  maxMarginMs?: number;
  /** Lifetime (seconds) to assume when the credentials do not carry an expiry. Default: no renewal. */
  lifetimeSeconds?: number;
  /** Backoff of a failed renewal. Default 2 s doubling up to 60 s. */
  retryInitialMs?: number;
  retryMaxMs?: number;
}

export interface TurnRenewalHooks {
  /** The connections to update (the SDK's `remote.pc` of every remote peer). */
  connections(): RTCPeerConnection[];
  /** A renewal failed (first of a run of failures), or `null`: renewing works again. */
  onTrouble(error: MeteredCallError | null): void;
  onRenewed?(set: IceServerSet, restarted: number): void;
}

const MIN_DELAY_MS = 500;
/**
 * How long the second end of a connection waits for the first end's renewal restart before
 * restarting itself (both ends renew at about the same time; two restarts at once glare).
 */
const FOLLOWER_WAIT_MS = 1500;

const ufragOf = (d: RTCSessionDescription | null) => (d ? (/a=ice-ufrag:(\S+)/.exec(d.sdp)?.[1] ?? null) : null);

export class TurnRenewal {
  /** The credentials in use; the peer-connection factory reads this for every new connection. */
  current: IceServerSet;
  /** Successful renewals so far. */
  renewals = 0;
  /** Failed attempts in the current run of failures. */
  failures = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly stopped = new AbortController();
  /** When `current` was fetched and how long it was meant to live (ms). */
  private lifetimeMs: number | null;

  constructor(
    initial: IceServerSet,
    private readonly source: TurnSource,
    private readonly hooks: TurnRenewalHooks,
    private readonly options: TurnRenewalOptions = {},
    fetchedAt = Date.now(),
  ) {
    this.current = initial;
    this.lifetimeMs = this.lifetimeOf(initial, fetchedAt);
  }

  /** Expiry of `current` in ms since the epoch, or `null` when unknown. */
  get expiresAt(): number | null {
    return this.current.expiresAt !== null ? this.current.expiresAt * 1000 : null;
  }

  /** Arms the first renewal. Nothing to do for STUN-only or credentials without a known lifetime. */
  start(fetchedAt = Date.now()): void {
    if (!this.current.source || this.lifetimeMs === null) return;
    this.schedule(this.renewDelay(fetchedAt));
  }

  stop(): void {
    clearTimeout(this.timer);
    this.stopped.abort(new DOMException('the call ended', 'AbortError'));
  }

  private lifetimeOf(set: IceServerSet, fetchedAt: number): number | null {
    if (set.expiresAt !== null) return Math.max(0, set.expiresAt * 1000 - fetchedAt);
    const configured = this.options.lifetimeSeconds;
    return configured && configured > 0 ? configured * 1000 : null;
  }

  /** ms from `fetchedAt` until the renewal: when `margin` of the lifetime is left (capped). */
  private renewDelay(fetchedAt: number): number {
    const lifetime = this.lifetimeMs ?? 0;
    const margin = Math.min(lifetime * clamp(this.options.margin ?? 0.5, 0.05, 0.95), this.options.maxMarginMs ?? 30 * 60_000);
    const expiry = this.current.expiresAt !== null ? this.current.expiresAt * 1000 : fetchedAt + lifetime;
    return Math.max(MIN_DELAY_MS, expiry - margin - Date.now());
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    if (this.stopped.signal.aborted) return;
    this.timer = setTimeout(() => void this.renew(), Math.min(delay, 2 ** 31 - 1));
  }

  private async renew(): Promise<void> {
    let next: IceServerSet;
    const fetchedAt = Date.now();
    try {
      next = await loadIceServers(this.source, this.stopped.signal);
    } catch (err) {
      if (this.stopped.signal.aborted) return;
      this.failures++;
      const initial = this.options.retryInitialMs ?? 2000;
      const delay = Math.min(initial * 2 ** (this.failures - 1), this.options.retryMaxMs ?? 60_000);
      if (this.failures === 1) {
        const detail = err instanceof MeteredCallError ? (err.detail ?? err.code) : String(err);
        this.hooks.onTrouble(new MeteredCallError('turn-renewal-failed', { detail }, { cause: err }));
      }
      console.warn(`<metered-call> TURN renewal attempt ${this.failures} failed; retrying in ${delay} ms`);
      this.schedule(delay);
      return;
    }
    if (this.stopped.signal.aborted) return;
    this.current = next;
    this.lifetimeMs = this.lifetimeOf(next, fetchedAt);
    this.renewals++;
    if (this.failures > 0) {
      this.failures = 0;
      this.hooks.onTrouble(null);
    }
    const restarted = await this.apply(next);
    if (this.stopped.signal.aborted) return;
    this.hooks.onRenewed?.(next, restarted);
    if (this.lifetimeMs !== null) this.schedule(this.renewDelay(fetchedAt));
  }

  /** Puts `set` on every live connection; restarts ICE where needed. Returns how many restarted. */
  private async apply(set: IceServerSet): Promise<number> {
    let restarted = 0;
    await Promise.all(
      this.hooks.connections().map(async pc => {
        if (pc.connectionState === 'closed' || pc.signalingState === 'closed') return;
        try {
          // a partial RTCConfiguration would reset the other members (e.g. the relay-only
          // policy) to their defaults; certificates may not be passed again
          const { certificates: _certificates, ...rest } = pc.getConfiguration();
          pc.setConfiguration({ ...rest, iceServers: set.iceServers });
        } catch (err) {
          console.warn(`<metered-call> could not apply renewed TURN credentials: ${(err as Error)?.message ?? err}`);
          return;
        }
        if (!(await needsIceRestart(pc))) return;
        // Both ends of a call renew at about the same time, and a restart from either end
        // re-gathers both (each with its own, now current, servers). One end goes first —
        // the one whose ICE ufrag sorts first, which both ends see alike — and the other
        // waits, then skips its own if that restart already gave this connection new ICE
        // credentials: two restarts at once would glare.
        const ufrag = ufragOf(pc.localDescription);
        const first = (ufrag ?? '') < (ufragOf(pc.remoteDescription) ?? '');
        if (!first) await new Promise(r => setTimeout(r, FOLLOWER_WAIT_MS));
        if (this.stopped.signal.aborted || (pc.connectionState as string) === 'closed') return;
        if (ufragOf(pc.localDescription) !== ufrag && pc.connectionState === 'connected') return;
        pc.restartIce();
        restarted++;
      }),
    );
    return restarted;
  }
}

/**
 * A connection needs an ICE restart to pick up new credentials when it is down, or when
 * its media goes through a relay allocation (made, and refreshed, with the old ones).
 */
export async function needsIceRestart(pc: RTCPeerConnection): Promise<boolean> {
  if (pc.connectionState === 'closed') return false;
  if (pc.connectionState === 'failed' || pc.connectionState === 'disconnected') return true;
  if (pc.getConfiguration().iceTransportPolicy === 'relay') return pc.connectionState === 'connected';
  if (pc.connectionState !== 'connected') return false; // still connecting: new gathering uses the new servers
  try {
    return (await selectedLocalCandidateType(pc)) === 'relay';
  } catch {
    return false;
  }
}

/** `host`, `srflx`, `prflx` or `relay` for the selected candidate pair, or `null`. */
export async function selectedLocalCandidateType(pc: RTCPeerConnection): Promise<string | null> {
  const stats = await pc.getStats();
  type Entry = { type?: string; selectedCandidatePairId?: string; localCandidateId?: string; selected?: boolean; nominated?: boolean; state?: string };
  let pair: Entry | undefined;
  stats.forEach((s: Entry) => {
    if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId) as Entry | undefined;
  });
  if (!pair) {
    // Firefox marks the pair itself
    stats.forEach((s: Entry) => {
      if (!pair && s.type === 'candidate-pair' && (s.selected || (s.nominated && s.state === 'succeeded'))) pair = s;
    });
  }
  const local = pair?.localCandidateId ? stats.get(pair.localCandidateId) : undefined;
  return (local as { candidateType?: string } | undefined)?.candidateType ?? null;
}

function clamp(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
