// Every join connects. Measured with the plain SDK page (Metered's tutorial) on this
// machine: about one two-party join in twenty-five never gets media (4 of 150, 9 of 250
// in other runs). Cause, from traces of every stalled join:
//
// Both sides attach their tracks as soon as they see each other, so both offer (glare).
// The polite side (lower peer id) has just applied its own offer when the impolite side's
// offer arrives; perfect negotiation rolls the polite offer back implicitly — before
// Chromium has begun gathering candidates for it — and answers. That answer's ICE agent
// then reports iceGatheringState "gathering" forever and never yields a candidate. With
// no local candidates on one side no connectivity check is ever sent, so ICE stays "new"
// and never reaches "failed" — and the SDK's ICE-restart ladder only starts on "failed".
// The connection is also beyond repair in place: ICE restarts from either side give it
// new credentials but it still gathers nothing (3 of 3 stalled joins tried).
//
// Two defences:
// 1. `holdFirstOffer` removes the glare: the polite side of a new connection holds its
//    first offer and lets the impolite side offer; it answers instead (its tracks ride
//    on the answer). If no offer comes within `holdMs` (the other side sends no media),
//    it offers itself. Two elements never glare; an element and the plain SDK page glare
//    only when the element is the impolite one.
// 2. `ConnectionWatchdog` catches what still gets stuck: a connection that has finished
//    negotiating but whose ICE never started is reported (`onStuck`), and the session
//    replaces it — see CallSession.rescue. Anything else that does not come up (a lost
//    answer, a dead path) gets ICE restarts with backoff.
import type { MeteredPeer, RemotePeer } from '@metered-ca/realtime';

const HELD = Symbol('metered-call.first-offer-held');

/**
 * Installs the first-offer hold on a new RTCPeerConnection. `isPolite` is asked when the
 * first `negotiationneeded` fires (the SDK knows the remote peer by then); `undefined`
 * (unknown) or `false` lets the offer through untouched.
 *
 * It works by stopping the native event before the SDK's listener sees it (a capturing
 * listener runs first at the target) and, if the offer is still needed after `holdMs`,
 * dispatching a synthetic `negotiationneeded` that the SDK handles as usual.
 */
export function holdFirstOffer(pc: RTCPeerConnection, isPolite: () => boolean | undefined, holdMs = 1500): void {
  const flagged = pc as RTCPeerConnection & { [HELD]?: true };
  if (flagged[HELD]) return;
  flagged[HELD] = true;
  let open = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const release = (offerNow: boolean) => {
    if (open) return;
    open = true;
    clearTimeout(timer);
    pc.removeEventListener('negotiationneeded', onNegotiationNeeded, true);
    pc.removeEventListener('signalingstatechange', onSignalingState);
    // still nobody offered: we do (the SDK's listener takes it from here)
    if (offerNow && pc.signalingState === 'stable' && !pc.remoteDescription) pc.dispatchEvent(new Event('negotiationneeded'));
  };
  const onNegotiationNeeded = (event: Event) => {
    if (open) return;
    if (isPolite() !== true) return release(false); // impolite or unknown: offer as usual
    event.stopImmediatePropagation();
    timer ??= setTimeout(() => release(true), holdMs);
  };
  const onSignalingState = () => {
    // the remote offered first (our tracks ride on the answer), or the connection is gone
    if (pc.signalingState === 'have-remote-offer' || pc.signalingState === 'closed') release(false);
  };
  pc.addEventListener('negotiationneeded', onNegotiationNeeded, true);
  pc.addEventListener('signalingstatechange', onSignalingState);
}

export interface WatchdogOptions {
  /** How long a new connection may take before the first check. */
  firstCheckMs?: number;
  /** Extra wait of the polite side, so two elements do not both act at once. */
  politeExtraMs?: number;
  /** Waits between further checks (the last one repeats). */
  retryMs?: readonly number[];
  /** After this many restarts without success, report the peer unreachable (once). */
  reportAfter?: number;
  /**
   * The connection is stuck beyond repair in place (negotiated, ICE never started).
   * Return `true` if the caller replaces it; `false` falls back to ICE restarts.
   */
  onStuck?: (peerId: string, why: string) => boolean;
  onRestart?: (peerId: string, attempt: number, why: string) => void;
  onUnreachable?: (peerId: string) => void;
  onConnected?: (peerId: string) => void;
}

interface Watched {
  remote: RemotePeer;
  timer: ReturnType<typeof setTimeout> | undefined;
  attempts: number;
  /** Checks that found ICE not started though both sides have candidates. */
  slowChecks: number;
  reported: boolean;
  onState: (ev: { to: string }) => void;
}

/** Slow-start checks (2.5 s, then 3 s and 4 s) before a connection with candidates both ways counts as stuck. */
const SLOW_CHECKS = 2;

/** A description with at least one candidate (trickled candidates are added to the remote one too). */
const hasCandidate = (d: RTCSessionDescription | null) => !!d && /^a=candidate:/m.test(d.sdp);

const describe = (pc: RTCPeerConnection) =>
  `connectionState=${pc.connectionState} iceConnectionState=${pc.iceConnectionState} iceGatheringState=${pc.iceGatheringState} signalingState=${pc.signalingState} candidates local=${hasCandidate(pc.localDescription)} remote=${hasCandidate(pc.remoteDescription)}`;

/** Per remote peer: notice a connection that fails to come up, and act. */
export class ConnectionWatchdog {
  private readonly watched = new Map<string, Watched>();
  private readonly firstCheckMs: number;
  private readonly politeExtraMs: number;
  private readonly retryMs: readonly number[];
  private readonly reportAfter: number;

  constructor(private readonly options: WatchdogOptions = {}) {
    this.firstCheckMs = options.firstCheckMs ?? 2500;
    this.politeExtraMs = options.politeExtraMs ?? 1500;
    this.retryMs = options.retryMs ?? [3000, 4000, 6000, 10000, 15000];
    this.reportAfter = options.reportAfter ?? 4;
  }

  /** Starts watching `remote` (idempotent). */
  watch(remote: RemotePeer): void {
    if (this.watched.has(remote.id)) return;
    const entry: Watched = {
      remote,
      timer: undefined,
      attempts: 0,
      slowChecks: 0,
      reported: false,
      onState: ({ to }) => {
        if (to === 'connected') {
          this.clear(entry);
          if (entry.attempts > 0) this.options.onConnected?.(remote.id);
          entry.attempts = 0;
          entry.slowChecks = 0;
          entry.reported = false;
        } else if (to === 'reconnecting' || to === 'connecting') {
          this.arm(entry, this.firstDelay(remote));
        }
      },
    };
    remote.on('state-change', entry.onState);
    this.watched.set(remote.id, entry);
    this.arm(entry, this.firstDelay(remote));
  }

  unwatch(peerId: string): void {
    const entry = this.watched.get(peerId);
    if (!entry) return;
    this.clear(entry);
    entry.remote.off('state-change', entry.onState);
    this.watched.delete(peerId);
  }

  stop(): void {
    for (const id of [...this.watched.keys()]) this.unwatch(id);
  }

  private firstDelay(remote: RemotePeer): number {
    return this.firstCheckMs + (remote.polite ? this.politeExtraMs : 0);
  }

  private arm(entry: Watched, delay: number): void {
    this.clear(entry);
    entry.timer = setTimeout(() => this.check(entry), delay);
  }

  private clear(entry: Watched): void {
    clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private check(entry: Watched): void {
    entry.timer = undefined;
    if (!this.watched.has(entry.remote.id)) return;
    const pc = entry.remote.pc as RTCPeerConnection;
    const next = this.retryMs[Math.min(entry.attempts, this.retryMs.length - 1)]!;
    if (pc.connectionState === 'connected' || pc.connectionState === 'closed') return;
    // nothing to connect: neither side has sent media or data yet (both receive-only)
    if (pc.signalingState === 'stable' && !pc.remoteDescription && pc.getTransceivers().length === 0) {
      return this.arm(entry, next);
    }
    // the stall: negotiation is complete, yet ICE never started (no check was ever sent)
    // because one side never gathered a candidate — so one of the two descriptions has none
    const idle = pc.signalingState === 'stable' && !!pc.localDescription && !!pc.remoteDescription && pc.iceConnectionState === 'new';
    const candidatesBothWays = hasCandidate(pc.localDescription) && hasCandidate(pc.remoteDescription);
    if (idle && candidatesBothWays && entry.slowChecks < SLOW_CHECKS) {
      // candidates on both sides: a slow start (a busy device, many connections at once),
      // not the stall — replacing it would cost every participant a new connection
      entry.slowChecks += 1;
      return this.arm(entry, next);
    }
    if (idle && this.options.onStuck?.(entry.remote.id, describe(pc))) return; // being replaced
    // mid-negotiation (our answer is being made): give it one more period
    if (pc.signalingState === 'have-remote-offer') return this.arm(entry, next);
    if (pc.signalingState === 'have-local-offer') {
      // an offer that was never answered: withdraw it; the restart below re-offers
      void pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    }
    entry.attempts += 1;
    this.options.onRestart?.(entry.remote.id, entry.attempts, describe(pc));
    pc.restartIce();
    if (entry.attempts >= this.reportAfter && !entry.reported) {
      entry.reported = true;
      this.options.onUnreachable?.(entry.remote.id);
    }
    this.arm(entry, next);
  }
}

/** Politeness of the connection that owns `pc`, looked up when asked (connections get swapped on reconnect). */
export const politenessOf = (peer: MeteredPeer, pc: RTCPeerConnection) => (): boolean | undefined =>
  peer.remotePeers.find(r => r.pc === pc)?.polite;
