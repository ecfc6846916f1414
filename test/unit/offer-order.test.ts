// Who offers first (src/call/offer-order.ts), on a fake connection (an EventTarget with the
// two fields the gate reads; no RTCPeerConnection in Node). The "SDK" is a listener added
// after the gate, as the SDK's is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gateFirstOffer } from '../../src/call/offer-order.ts';

function fakePc() {
  const pc = Object.assign(new EventTarget(), { signalingState: 'stable' as RTCSignalingState, remoteDescription: null as object | null });
  let offers = 0;
  /** The SDK's listener, added after the gate (the factory gates a connection before the SDK gets it). */
  const sdk = () => pc.addEventListener('negotiationneeded', () => offers++);
  const negotiationNeeded = () => pc.dispatchEvent(new Event('negotiationneeded'));
  const remoteOffers = () => {
    pc.signalingState = 'have-remote-offer';
    pc.remoteDescription = {};
    pc.dispatchEvent(new Event('signalingstatechange'));
  };
  return { pc: pc as unknown as RTCPeerConnection, sdk, offers: () => offers, negotiationNeeded, remoteOffers };
}

describe('gateFirstOffer', () => {
  it('the impolite side offers at once', () => {
    const f = fakePc();
    const gate = gateFirstOffer(f.pc, () => false);
    f.sdk();
    f.negotiationNeeded();
    assert.equal(f.offers(), 1);
    assert.equal(gate.held, false);
  });

  it('the polite side holds its first offer and answers the other side\'s: it never offers', () => {
    const f = fakePc();
    const gate = gateFirstOffer(f.pc, () => true);
    f.sdk();
    f.negotiationNeeded();
    assert.deepEqual([f.offers(), gate.held], [0, true]);
    f.remoteOffers();
    gate.release(); // too late to matter: somebody offered
    assert.deepEqual([f.offers(), gate.held], [0, false]);
  });

  it('released (the other side sends nothing, or no offer came): the polite side offers once', () => {
    const f = fakePc();
    const gate = gateFirstOffer(f.pc, () => true);
    f.sdk();
    f.negotiationNeeded();
    gate.release();
    gate.release();
    assert.equal(f.offers(), 1);
    f.negotiationNeeded(); // later renegotiations are the SDK's as usual
    assert.equal(f.offers(), 2);
  });

  it('politeness unknown: the offer goes through', () => {
    const f = fakePc();
    gateFirstOffer(f.pc, () => undefined);
    f.sdk();
    f.negotiationNeeded();
    assert.equal(f.offers(), 1);
  });
});
