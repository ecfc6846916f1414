// Who offers first on a new connection, decided without a timer, so two elements never glare.
//
// Both sides attach their tracks as soon as they see each other, so both would offer. The
// SDK computes politeness from the peer ids (the lower id is polite). The polite side holds
// its first offer and answers the impolite side's instead (its own tracks ride on the
// answer). It offers itself only when it must:
// - the other side said it sends nothing (its `state` message: no audio, video or screen),
//   so it has nothing to offer — `remoteSendsNothing`;
// - or the watchdog finds no offer came for a stall period scaled by the measured
//   signalling round trip and the load (connection-health.ts) — a plain SDK page without
//   media, or an offer lost on the way.
// The impolite side offers as usual. Against a plain SDK page: if the page is impolite it
// offers and we answer; if it is polite, we are impolite and offer (it may glare; the SDK's
// perfect negotiation resolves it, and the watchdog repairs what it leaves).
//
// How: a capturing `negotiationneeded` listener on the connection runs before the SDK's
// and stops the event; `release()` dispatches a fresh `negotiationneeded` that the SDK
// handles as usual. Only the first offer of a new connection is ever held; a connection
// made to replace a stuck one (the remote already has a connection to answer with) is not.

export interface OfferGate {
  /** Our first offer is held, waiting for theirs. */
  readonly held: boolean;
  /** Offer now (if nobody has yet); no further holding. */
  release(): void;
}

const OPEN: OfferGate = { held: false, release() {} };

/**
 * Installs the gate on a new connection. `isPolite` is asked on the first
 * `negotiationneeded` (the SDK knows the remote peer by then); anything but `true` lets the
 * offer through.
 */
export function gateFirstOffer(pc: RTCPeerConnection, isPolite: () => boolean | undefined): OfferGate {
  let open = false;
  let held = false;
  const finish = (offerNow: boolean) => {
    if (open) return;
    open = true;
    pc.removeEventListener('negotiationneeded', onNegotiationNeeded, true);
    pc.removeEventListener('signalingstatechange', onSignalingState);
    // nobody offered yet: we do (the SDK's listener takes it from here)
    if (offerNow && held && pc.signalingState === 'stable' && !pc.remoteDescription) pc.dispatchEvent(new Event('negotiationneeded'));
    held = false;
  };
  const onNegotiationNeeded = (event: Event) => {
    if (open) return;
    if (isPolite() !== true) return finish(false);
    event.stopImmediatePropagation();
    held = true;
  };
  const onSignalingState = () => {
    // the remote offered (our tracks ride on the answer), or the connection is gone
    if (pc.signalingState === 'have-remote-offer' || pc.signalingState === 'closed') finish(false);
  };
  pc.addEventListener('negotiationneeded', onNegotiationNeeded, true);
  pc.addEventListener('signalingstatechange', onSignalingState);
  return {
    get held() {
      return held && !open;
    },
    release: () => finish(true),
  };
}

/** A connection whose first offer is never held. */
export const openGate = (): OfferGate => OPEN;
