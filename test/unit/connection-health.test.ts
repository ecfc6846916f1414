// The recovery decision (src/call/connection-health.ts) on observed facts: slow is not
// stalled, ICE checks and DTLS are never interrupted, an offer whose answer is on its way
// is left alone, a side that gathered nothing is stalled at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assessConnection, stallAfterMs, type ConnectionFacts } from '../../src/call/connection-health.ts';

const facts = (over: Partial<ConnectionFacts> = {}): ConnectionFacts => ({
  signalingState: 'stable',
  iceGatheringState: 'gathering',
  iceConnectionState: 'new',
  connectionState: 'new',
  localCandidates: 2,
  remoteCandidates: 0,
  hasRemoteDescription: true,
  transceivers: 2,
  firstOfferHeld: false,
  msSinceProgress: 0,
  signallingRttMs: 100,
  negotiationsInFlight: 1,
  ...over,
});

const verdict = (over: Partial<ConnectionFacts>) => assessConnection(facts(over)).verdict;
const LONG = 60_000;

describe('assessConnection', () => {
  it('a connected or closed connection is ok, whatever else', () => {
    assert.equal(verdict({ connectionState: 'connected', msSinceProgress: LONG }), 'ok');
    assert.equal(verdict({ connectionState: 'closed', signalingState: 'closed', msSinceProgress: LONG }), 'ok');
  });

  it('nothing to connect (neither side sends) is ok, not stalled', () => {
    assert.equal(verdict({ hasRemoteDescription: false, transceivers: 0, msSinceProgress: LONG }), 'ok');
  });

  it('remote candidates still arriving is slow, not stalled', () => {
    assert.deepEqual(assessConnection(facts({ remoteCandidates: 0, msSinceProgress: 1000 })), { verdict: 'slow', why: 'candidates arriving' });
  });

  it('ICE checking is never stalled, however long', () => {
    assert.equal(verdict({ iceConnectionState: 'checking', connectionState: 'connecting', msSinceProgress: LONG }), 'slow');
  });

  it('DTLS under way (ICE connected, connection connecting) is never stalled', () => {
    assert.equal(verdict({ iceConnectionState: 'connected', connectionState: 'connecting', msSinceProgress: LONG }), 'slow');
    assert.equal(verdict({ iceConnectionState: 'completed', connectionState: 'connecting', msSinceProgress: LONG }), 'slow');
  });

  it('an offer whose answer is in flight is slow until a whole stall period passed', () => {
    const offering = { signalingState: 'have-local-offer' as const, hasRemoteDescription: false };
    assert.equal(verdict({ ...offering, msSinceProgress: 3000 }), 'slow');
    assert.deepEqual(assessConnection(facts({ ...offering, msSinceProgress: LONG })), { verdict: 'stalled', why: 'negotiation unanswered' });
  });

  it('this side finished gathering with no candidate: stalled at once', () => {
    assert.deepEqual(assessConnection(facts({ iceGatheringState: 'complete', localCandidates: 0 })), { verdict: 'stalled', why: 'gathered no candidate' });
  });

  it('negotiated, ICE never started, no progress for the stall period: stalled', () => {
    assert.deepEqual(assessConnection(facts({ msSinceProgress: LONG })), { verdict: 'stalled', why: 'ice never started' });
  });

  it('a held first offer with no offer coming becomes stalled only after the stall period', () => {
    const held = { firstOfferHeld: true, hasRemoteDescription: false };
    assert.equal(verdict({ ...held, msSinceProgress: 2000 }), 'slow');
    assert.deepEqual(assessConnection(facts({ ...held, msSinceProgress: LONG })), { verdict: 'stalled', why: 'no offer came' });
  });

  it('the stall period grows with the measured round trip and the negotiations in flight', () => {
    const idle = stallAfterMs({ signallingRttMs: 100, negotiationsInFlight: 1 });
    const slowServer = stallAfterMs({ signallingRttMs: 1500, negotiationsInFlight: 1 });
    const busy = stallAfterMs({ signallingRttMs: 100, negotiationsInFlight: 7 });
    assert.ok(slowServer > idle && busy > idle, `${idle} ${slowServer} ${busy}`);
    // the same quiet time: stalled on an idle machine, slow on a loaded one
    assert.equal(verdict({ msSinceProgress: idle + 1, negotiationsInFlight: 1 }), 'stalled');
    assert.equal(verdict({ msSinceProgress: idle + 1, negotiationsInFlight: 7 }), 'slow');
  });
});
