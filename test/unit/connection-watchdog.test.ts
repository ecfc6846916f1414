// The watchdog (src/call/connection-watchdog.ts) with fake connections and a fake clock
// (fakes: no RTCPeerConnection in Node): a stall is repaired alone, from one side only,
// a restart first and then a fresh connection; checking connections are never touched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionWatchdog, type Clock, type ObservedConnection, type RepairActions } from '../../src/call/connection-watchdog.ts';

/** A fake RTCPeerConnection: only the fields the watchdog reads. */
function fakePc(over: Partial<Record<keyof ObservedConnection, unknown>> = {}): ObservedConnection & Record<string, unknown> {
  return {
    signalingState: 'stable',
    iceGatheringState: 'gathering',
    iceConnectionState: 'new',
    connectionState: 'new',
    localDescription: { type: 'answer', sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n' },
    remoteDescription: { type: 'offer', sdp: 'v=0\r\n' },
    getTransceivers: () => [{}, {}],
    ...over,
  } as unknown as ObservedConnection & Record<string, unknown>;
}

function fakeClock() {
  let t = 0;
  const clock: Clock & { advance(ms: number): void } = {
    now: () => t,
    setInterval: () => 1,
    clearInterval: () => {},
    advance: ms => (t += ms),
  };
  return clock;
}

function harness(opts: { repairs?: (id: string) => boolean; held?: Set<string>; plain?: Set<string>; undecided?: Set<string>; rejoinAllowed?: boolean } = {}) {
  const done: string[] = [];
  const actions: RepairActions = {
    repairsFor: id => opts.repairs?.(id) ?? true,
    offerHeld: id => opts.held?.has(id) ?? false,
    releaseOffer: id => {
      done.push(`release ${id}`);
      opts.held?.delete(id);
    },
    restartIce: id => done.push(`restart ${id}`),
    replace: id => (done.push(`replace ${id}`), true),
    unreachable: id => done.push(`unreachable ${id}`),
    signallingRttMs: () => 100,
    isPlain: id => opts.plain?.has(id) ?? false,
    undecided: id => opts.undecided?.has(id) ?? false,
    rejoin: id => (done.push(`rejoin ${id}`), opts.rejoinAllowed ?? true),
  };
  const clock = fakeClock();
  const dog = new ConnectionWatchdog(actions, { clock, log: () => {} });
  /** Ticks every second for `ms`. */
  const run = (ms: number) => {
    for (let i = 0; i < ms / 1000; i++) {
      clock.advance(1000);
      dog.tick();
    }
  };
  return { dog, done, run };
}

describe('ConnectionWatchdog', () => {
  it('repairs the stalled connection alone: the healthy ones are not touched, nobody rejoins', () => {
    const { dog, done, run } = harness();
    dog.watch({ id: 'healthy', pc: fakePc({ connectionState: 'connected', iceConnectionState: 'connected' }) });
    dog.watch({ id: 'checking', pc: fakePc({ connectionState: 'connecting', iceConnectionState: 'checking' }) });
    dog.watch({ id: 'stuck', pc: fakePc() });
    run(30_000);
    assert.ok(done.length > 0, 'the stuck connection was repaired');
    assert.ok(done.every(d => d.endsWith(' stuck')), done.join(', '));
    assert.equal(dog.counters.rescues, 0);
  });

  it('an ICE restart first, then a fresh connection to that one peer', () => {
    const { dog, done, run } = harness();
    dog.watch({ id: 'p', pc: fakePc() });
    run(12_000); // two stall periods
    assert.deepEqual(done, ['restart p', 'replace p']);
    assert.deepEqual([dog.counters.restarts, dog.counters.replacements, dog.counters.repairs], [1, 1, 2]);
  });

  it('a slow connection that keeps making progress is never repaired', () => {
    const { dog, done, run } = harness();
    const pc = fakePc({ remoteDescription: { type: 'offer', sdp: 'v=0\r\n' } });
    dog.watch({ id: 'p', pc });
    for (let i = 0; i < 20; i++) {
      // a remote candidate trickles in every 3 s (a loaded machine)
      (pc as { remoteDescription: unknown }).remoteDescription = { type: 'offer', sdp: `v=0\r\n${'a=candidate:x\r\n'.repeat(i)}` };
      run(3000);
    }
    assert.deepEqual(done, []);
  });

  it('an unanswered offer is not rolled back or restarted: replaced only after a long quiet', () => {
    const { dog, done, run } = harness();
    const pc = fakePc({ signalingState: 'have-local-offer', remoteDescription: null });
    dog.watch({ id: 'p', pc });
    run(3000);
    assert.deepEqual(done, []);
    run(30_000);
    assert.ok(done.length > 0 && done.every(d => d === 'replace p' || d === 'unreachable p'), done.join(', '));
  });

  it('repairs from one side only: the other side leaves it to the repairing side', () => {
    const { dog, done, run } = harness({ repairs: () => false });
    dog.watch({ id: 'p', pc: fakePc() });
    run(60_000);
    assert.deepEqual(done, []);
  });

  it('the non-repairing side still repairs when the fault is its own (its ICE agent gave no candidate)', () => {
    const { dog, done, run } = harness({ repairs: () => false });
    dog.watch({ id: 'p', pc: fakePc({ iceGatheringState: 'complete', localDescription: { type: 'answer', sdp: 'v=0\r\n' } }) });
    run(1000);
    assert.deepEqual(done, ['replace p']);
  });

  it('a held first offer nobody answered is released (we offer), by either side', () => {
    const held = new Set(['p']);
    const { dog, done, run } = harness({ repairs: () => false, held });
    dog.watch({ id: 'p', pc: fakePc({ remoteDescription: null, localDescription: null }) });
    run(2000);
    assert.deepEqual(done, [], 'not before a stall period');
    run(30_000);
    assert.deepEqual(done, ['release p']);
    assert.equal(dog.counters.releasedOffers, 1);
  });

  it('reports a peer unreachable once, after repeated repairs', () => {
    const { dog, done, run } = harness();
    dog.watch({ id: 'p', pc: fakePc() });
    run(120_000);
    assert.equal(done.filter(d => d === 'unreachable p').length, 1);
  });

  describe('a plain SDK page (never replaced: an ICE restart where it can help, then a rejoin)', () => {
    it('the gather stall (the other side gathered nothing): a rejoin after 2.5 s without progress, no restart, no replacement', () => {
      const { dog, done, run } = harness({ plain: new Set(['plain']) });
      // negotiated, ICE never started, the plain page's answer carries no candidate
      const offer = { type: 'offer', sdp: 'v=0\r\na=candidate:1 1 udp 1 127.0.0.1 5000 typ host\r\n' };
      dog.watch({ id: 'plain', pc: fakePc({ localDescription: offer, remoteDescription: { type: 'answer', sdp: 'v=0\r\n' } }) });
      run(3000);
      assert.deepEqual(done, []);
      run(1000);
      assert.deepEqual(done, ['rejoin plain']);
      assert.equal(dog.counters.rescues, 1);
      assert.equal(dog.counters.replacements, 0);
    });

    it('ICE failed with candidates both ways: one ICE restart on the same connection, then a rejoin', () => {
      const { dog, done, run } = harness({ plain: new Set(['plain']) });
      const both = { type: 'answer', sdp: 'v=0\r\na=candidate:2 1 udp 1 127.0.0.1 6000 typ host\r\n' };
      dog.watch({ id: 'plain', pc: fakePc({ iceConnectionState: 'failed', connectionState: 'failed', remoteDescription: both }) });
      run(8000);
      assert.deepEqual(done, ['restart plain', 'rejoin plain']);
      assert.equal(dog.counters.replacements, 0);
    });

    it('a rejoin refused (bounded): ICE restarts, never a replacement', () => {
      const { dog, done, run } = harness({ plain: new Set(['plain']), rejoinAllowed: false });
      dog.watch({ id: 'plain', pc: fakePc({ remoteDescription: { type: 'answer', sdp: 'v=0\r\n' } }) });
      run(8000);
      assert.ok(done.length >= 2, done.join(', '));
      assert.ok(done.every(d => d === 'rejoin plain' || d === 'restart plain'), done.join(', '));
      assert.equal(dog.counters.rescues, 0);
    });

    it('a peer not yet known as element or plain page is judged but not acted on; once known, it is', () => {
      const undecided = new Set(['p']);
      const { dog, done, run } = harness({ undecided });
      // this side gathered no candidate: stalled at once
      dog.watch({ id: 'p', pc: fakePc({ iceGatheringState: 'complete', localDescription: { type: 'answer', sdp: 'v=0\r\n' } }) });
      run(2000);
      assert.equal(dog.assess().get('p')?.verdict, 'stalled');
      assert.deepEqual(done, []);
      undecided.clear();
      run(1000);
      assert.deepEqual(done, ['replace p']);
    });

    it('an element peer is still repaired by a fresh connection, never a rejoin', () => {
      const { done, run, dog } = harness({ plain: new Set(['plain']) });
      dog.watch({ id: 'el', pc: fakePc() });
      run(12_000);
      assert.deepEqual(done, ['restart el', 'replace el']);
    });
  });
});
