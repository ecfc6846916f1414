// The recovery decision, as a pure function of what can be observed about one connection.
// No timers, no RTCPeerConnection: the watchdog (connection-watchdog.ts) gathers the facts
// and acts on the verdict; Node unit tests feed facts directly (test/unit/).
//
// Three verdicts:
// - `ok`      connected, closed, or nothing to connect yet (neither side sends anything);
// - `slow`    not up yet but moving, or in a phase we never interrupt (ICE checks, DTLS);
// - `stalled` nothing will happen without us: this side finished gathering with no
//             candidate, or no fact has changed for a period that grows with the measured
//             signalling round trip and with how many negotiations run at once.

/** What the watchdog observed about one connection at one moment. */
export interface ConnectionFacts {
  signalingState: RTCSignalingState;
  iceGatheringState: RTCIceGatheringState;
  iceConnectionState: RTCIceConnectionState;
  connectionState: RTCPeerConnectionState;
  /** Candidates in the local description (trickled ones are added to it). */
  localCandidates: number;
  /** Candidates in the remote description (trickled ones are added to it). */
  remoteCandidates: number;
  hasRemoteDescription: boolean;
  /** Transceivers on the connection: 0 = neither side has offered media or data. */
  transceivers: number;
  /** Our first offer is being held for the other side's (see offer-order.ts). */
  firstOfferHeld: boolean;
  /** Time since any of the facts above last changed. */
  msSinceProgress: number;
  /** Measured offer → answer time on this call (a default until measured). */
  signallingRttMs: number;
  /** Connections of this participant still negotiating or connecting, this one included. */
  negotiationsInFlight: number;
}

export type Verdict = 'ok' | 'slow' | 'stalled';

export interface Assessment {
  verdict: Verdict;
  /** Short, stable reason (logged and counted; tests compare it). */
  why: string;
}

export interface HealthPolicy {
  /** Quiet time before a connection can count as stalled, on an idle machine. */
  baseStallMs: number;
  /** Added per measured signalling round trip. */
  rttFactor: number;
  /** Added per other negotiation in flight (a loaded participant answers slower). */
  perNegotiationMs: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = { baseStallMs: 4000, rttFactor: 4, perNegotiationMs: 1500 };

/**
 * For a connection to a plain SDK page (one that never sent an element-only message): the
 * old fast rule, 2.5 s without progress. Its only repair beyond an ICE restart is a rejoin
 * (see connection-watchdog.ts), which must still land well inside a join's first seconds.
 */
export const PLAIN_PEER_POLICY: HealthPolicy = { baseStallMs: 2500, rttFactor: 0, perNegotiationMs: 500 };

/** How long a connection may show no progress before it counts as stalled. */
export function stallAfterMs(f: Pick<ConnectionFacts, 'signallingRttMs' | 'negotiationsInFlight'>, p: HealthPolicy = DEFAULT_HEALTH_POLICY): number {
  const others = Math.max(0, f.negotiationsInFlight - 1);
  return p.baseStallMs + p.rttFactor * Math.max(0, f.signallingRttMs) + p.perNegotiationMs * others;
}

export function assessConnection(f: ConnectionFacts, p: HealthPolicy = DEFAULT_HEALTH_POLICY): Assessment {
  if (f.connectionState === 'connected') return { verdict: 'ok', why: 'connected' };
  if (f.connectionState === 'closed' || f.signalingState === 'closed') return { verdict: 'ok', why: 'closed' };
  const quiet = f.msSinceProgress >= stallAfterMs(f, p);
  if (f.signalingState === 'stable' && !f.hasRemoteDescription && f.transceivers === 0) {
    return { verdict: 'ok', why: 'nothing to connect' };
  }
  // ICE checks under way, or ICE up and DTLS finishing: never interrupted (the SDK's own
  // ladder takes over if ICE fails)
  if (f.iceConnectionState === 'checking') return { verdict: 'slow', why: 'ice checking' };
  if ((f.iceConnectionState === 'connected' || f.iceConnectionState === 'completed') && f.connectionState === 'connecting') {
    return { verdict: 'slow', why: 'dtls connecting' };
  }
  if (f.firstOfferHeld && f.signalingState === 'stable' && !f.hasRemoteDescription) {
    // we wait for the other side's offer; it never came
    return quiet ? { verdict: 'stalled', why: 'no offer came' } : { verdict: 'slow', why: 'awaiting offer' };
  }
  if (f.signalingState !== 'stable') {
    // an offer or its answer is on its way: not rolled back, only replaced once long quiet
    return quiet ? { verdict: 'stalled', why: 'negotiation unanswered' } : { verdict: 'slow', why: 'negotiating' };
  }
  if (f.iceConnectionState === 'new') {
    // the stall this watchdog exists for: negotiated, yet this side gathered nothing
    if (f.iceGatheringState === 'complete' && f.localCandidates === 0) return { verdict: 'stalled', why: 'gathered no candidate' };
    return quiet ? { verdict: 'stalled', why: 'ice never started' } : { verdict: 'slow', why: 'candidates arriving' };
  }
  if (f.iceConnectionState === 'disconnected' || f.iceConnectionState === 'failed') {
    return quiet ? { verdict: 'stalled', why: `ice ${f.iceConnectionState}` } : { verdict: 'slow', why: `ice ${f.iceConnectionState}` };
  }
  return quiet ? { verdict: 'stalled', why: 'no progress' } : { verdict: 'slow', why: 'connecting' };
}

/**
 * The stall an ICE restart does not cure: negotiated, ICE never started, and one side's
 * description carries no candidate (that side's ICE agent gathers nothing, restarted or not).
 */
export const isGatherStall = (f: ConnectionFacts): boolean =>
  f.signalingState === 'stable' && f.hasRemoteDescription && f.iceConnectionState === 'new' && (f.localCandidates === 0 || f.remoteCandidates === 0);

/** Candidates in a description's SDP. */
export const countCandidates = (d: { sdp: string } | null): number => (d ? (d.sdp.match(/^a=candidate:/gm)?.length ?? 0) : 0);

/** The DTLS fingerprint of a description: a new one means the other side built a new connection. */
export const fingerprintOf = (sdp: string | undefined | null): string | null => (sdp ? (/^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim() ?? null) : null);
