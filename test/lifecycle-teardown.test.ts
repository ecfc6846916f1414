// Teardown and lifecycle: joining and leaving 50 times leaves nothing running and no
// growing heap; moving the element in the DOM (a CMS re-parenting it) keeps the call;
// `pagehide` leaves the room at once (and a page restored from the back/forward cache
// rejoins); two elements on one page, in two rooms, are two independent calls.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { DEV_KEY, serverStats, uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { heapMeasurable, heapUsage, liveInstances } from './helpers/heap.js';
import { endCalls, openParticipant } from './helpers/participants.js';
import { eventually, remoteNames, remoteTiles, remoteVideo, until, watchFrames, weakTap, withDeadline } from './helpers/resilience.js';
import { MeteredPeer } from '@metered-ca/realtime';

// counts without keeping anything alive: the leak test measures the element, not the probe
const tap = weakTap();
Object.assign(window, { MeteredPeer }); // for count-instances
const PARTICIPANT = '/test/fixtures/resilience-participant.html';
const CYCLES = 50;
/**
 * Objects a leaking call would leave behind, one or more per cycle. Not MediaStream and
 * MediaStreamTrack: Chromium itself keeps the (stopped) results of getUserMedia reachable
 * from its promise-resolver tracker (a C++ persistent root; retaining paths taken with
 * `retainers`), so their count grows by one stream and two tracks per join whatever the
 * page does. That tracks are stopped is checked by `liveTracks()` instead.
 */
const COUNTED = ['MeteredPeer', 'RTCPeerConnection', 'WebSocket', 'HTMLVideoElement', 'AbortController'];

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];


async function makeCall(room: string, name: string, parent?: HTMLElement): Promise<MeteredCall> {
  let el: MeteredCall;
  if (parent) {
    // not a fixture: open-wc's cleanup would try to remove it from where it started
    el = document.createElement('metered-call') as MeteredCall;
    parent.append(el);
  } else el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  Object.assign(el, { serverUrl: server.wsUrl, apiKey: DEV_KEY, room, name });
  elements.push(el);
  await el.updateComplete;
  return el;
}

const participant = (room: string, name: string) =>
  openParticipant(PARTICIPANT, { attrs: JSON.stringify({ 'server-url': server.wsUrl, 'api-key': DEV_KEY, room, name }) });

describe('teardown and lifecycle', function () {
  this.timeout(120000);
  afterEach(() => endCalls(elements));

  it(`${CYCLES} join/leave cycles leave no track, connection or socket behind, and the heap flat`, async () => {
    const room = uniqueRoom('cycles');
    const b = await participant(room, 'B');
    await b.eval('window.__r.join()');
    const a = await makeCall(room, 'A');
    const measured = heapMeasurable('heap and live objects over join/leave cycles');
    let warm = 0;
    let warmObjects: Record<string, number> = {};
    const t0 = performance.now();
    for (let i = 1; i <= CYCLES; i++) {
      // each cycle: camera and microphone, signalling, a peer connection to B
      const met = oneEvent(a, 'peer-joined');
      await a.join();
      await met;
      expect(tap.livePcs(), `cycle ${i}: one connection while in the call`).to.equal(1);
      await a.leave();
      expect(tap.liveTracks(), `cycle ${i}: tracks stopped`).to.equal(0);
      expect(tap.livePcs(), `cycle ${i}: connections closed`).to.equal(0);
      if (i === 5 && measured) {
        // after warm-up: code loaded, caches filled
        warm = await heapUsage();
        warmObjects = await liveInstances(COUNTED);
      }
    }
    expect(tap.openSockets(server.wsUrl), 'signalling sockets of this page').to.equal(0);
    await eventually(async () => (await serverStats(server)).openSockets === 1, 'only B on the server', 5000);
    expect(await b.eval<number>('window.__r.livePcs().length'), 'B closed its connections to every A').to.equal(0);
    expect(await b.eval<number>('Object.keys(window.__r.remoteTiles(window.el)).length'), 'no ghost tiles on B').to.equal(0);
    if (!measured) return;
    const end = await heapUsage();
    // a closed WebSocket lives until its closing handshake is over, which a loaded machine
    // can hold up for a while: count again (each count collects garbage) until the
    // stragglers are gone — a leak (one per cycle, 45 here) never gets there
    let left = await liveInstances(COUNTED);
    const settled = () => COUNTED.every(name => left[name]! - warmObjects[name]! <= 5);
    for (const t = performance.now(); !settled() && performance.now() - t < 10000; ) left = await liveInstances(COUNTED);
    console.log(`${CYCLES} cycles in ${Math.round(performance.now() - t0)} ms; heap after cycle 5: ${warm}, after ${CYCLES}: ${end}; live objects after cycle 5 ${JSON.stringify(warmObjects)}, after ${CYCLES} ${JSON.stringify(left)}`);
    expect(left.MeteredPeer, 'SDK peers still alive').to.equal(0);
    expect(left.RTCPeerConnection, 'RTCPeerConnections still alive').to.equal(0);
    // a leak leaves one per cycle (45 here); a few of the last cycles' may still be on their way out
    for (const name of COUNTED) expect(left[name]! - warmObjects[name]!, `${name}s piling up`).to.be.at.most(5);
    const perCycle = (end - warm) / (CYCLES - 5);
    expect(perCycle, `heap ${warm} → ${end} bytes over ${CYCLES - 5} cycles`).to.be.below(16 * 1024);
  });

  it('an element removed from the page mid-call is garbage-collected (its videos let go of their streams)', async function () {
    if (!heapMeasurable('garbage collection of a removed element')) this.skip(); // heapMeasurable logged why
    const room = uniqueRoom('removed');
    const b = await participant(room, 'B');
    const idB = await b.eval<string>('window.__r.join()');
    // in its own function, so that nothing of this test (not even a resolved event's
    // target) keeps a reference: only the WeakRef comes out
    const ref = await (async () => {
      const el = document.createElement('metered-call') as MeteredCall;
      Object.assign(el, { serverUrl: server.wsUrl, apiKey: DEV_KEY, room, name: 'Gone' });
      document.body.append(el);
      await el.join();
      const seen = watchFrames(() => remoteVideo(el, idB));
      await seen.frames(3, 15000); // a remote <video> playing B's stream
      seen.stop();
      const left = new Promise<void>(resolve => el.addEventListener('left', () => resolve(), { once: true }));
      el.remove();
      await left;
      return new WeakRef(el);
    })();
    await eventually(async () => (await b.eval<number>('Object.keys(window.__r.remoteTiles(window.el)).length')) === 0, 'B saw it go', 5000);
    // each count collects garbage first; the element's short timers (≤ 3 s) may hold it a
    // moment, a leak holds it for good
    for (const t0 = performance.now(); ref.deref() && performance.now() - t0 < 8000; ) await liveInstances([]);
    if (ref.deref()) {
      const { paths } = await executeServerCommand<{ paths: string[] }, { name: string }>('retainers', { name: 'metered-call' });
      throw new Error(`the removed element is still alive:\n${paths.join('\n')}`);
    }
  });

  it('keeps the call when the element is moved in the DOM', async () => {
    const room = uniqueRoom('move');
    const first = document.createElement('div');
    const second = document.createElement('section');
    document.body.append(first, second);
    try {
      const a = await makeCall(room, 'A', first);
      await a.join();
      const b = await participant(room, 'B');
      const idB = await b.eval<string>('window.__r.join()');
      await until(() => !!remoteVideo(a, idB)?.srcObject, 'B on A', 20000);
      const seeB = watchFrames(() => remoteVideo(a, idB));
      await seeB.frames(3, 15000);
      const peerId = a.peerId;
      let left = 0;
      a.addEventListener('left', () => left++);
      const socketsBefore = (await serverStats(server)).connectionsAccepted;

      second.append(a); // a CMS moving the block
      first.insertBefore(a, null); // and back
      a.remove(); // detached and re-attached in one task (a framework re-render)
      second.prepend(a);
      await a.updateComplete;

      await seeB.frames(10, 10000); // the picture goes on
      await b.eval(`window.__r.watchFrames(() => window.__r.remoteVideo(window.el, ${JSON.stringify(peerId)})).frames(5, 10000)`);
      expect(a.state).to.equal('joined');
      expect(a.peerId, 'the same session').to.equal(peerId);
      expect(left).to.equal(0);
      expect(tap.liveTracks(), 'camera and microphone still on').to.be.greaterThan(0);
      expect((await serverStats(server)).connectionsAccepted, 'no reconnect').to.equal(socketsBefore);
      seeB.stop();

      // and removal for good does end it
      const gone = oneEvent(a, 'left');
      a.remove();
      await gone;
      expect(tap.liveTracks()).to.equal(0);
    } finally {
      first.remove();
      second.remove();
    }
  });

  it('pagehide leaves the room at once; a page restored from the back/forward cache rejoins', async () => {
    const room = uniqueRoom('pagehide');
    const a = await makeCall(room, 'A');
    await a.join();
    const b = await participant(room, 'B');
    const idB = await b.eval<string>('window.__r.join()');
    await until(() => remoteNames(a)[idB] === 'B', 'B on A', 20000);

    // B's page is hidden on its way into the back/forward cache: nothing closes its socket for it
    const left = oneEvent(a, 'peer-left');
    const t0 = performance.now();
    await b.eval(`window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }))`);
    const gone = await withDeadline(left, 5000, 'peer-left after pagehide');
    expect(gone.detail.peerId, 'peer-left within 5 s of pagehide').to.equal(idB);
    expect(performance.now() - t0, 'peer-left at once').to.be.below(1500);
    // the socket closes first (that is what A saw); B's teardown finishes after it
    const bState = await b.eval<string>(`new Promise(resolve => {
      const t0 = Date.now();
      const check = () => (window.el.state === 'left' || Date.now() - t0 > 5000 ? resolve(window.el.state) : requestAnimationFrame(check));
      check();
    })`);
    expect(bState, 'B left').to.equal('left');
    expect(await b.eval<number>('window.__r.livePcs().length')).to.equal(0);
    await until(() => Object.keys(remoteTiles(a)).length === 0, 'the tile of B to go', 2000);

    // restored: it comes back on its own
    const back = oneEvent(a, 'peer-joined');
    await b.eval(`window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))`);
    const idB2 = (await back).detail.peerId;
    await until(() => remoteNames(a)[idB2] === 'B', 'B back on A', 20000);
  });

  it('two elements on one page, in two rooms, are two independent calls', async () => {
    const [r1, r2] = [uniqueRoom('one'), uniqueRoom('two')];
    const a1 = await makeCall(r1, 'A1');
    const a2 = await makeCall(r2, 'A2');
    await Promise.all([a1.join(), a2.join()]);
    const b1 = await participant(r1, 'B1');
    const b2 = await participant(r2, 'B2');
    const [id1, id2] = await Promise.all([b1.eval<string>('window.__r.join()'), b2.eval<string>('window.__r.join()')]);
    await until(() => remoteNames(a1)[id1] === 'B1' && remoteNames(a2)[id2] === 'B2', 'each sees its own', 20000);
    const see1 = watchFrames(() => remoteVideo(a1, id1));
    const see2 = watchFrames(() => remoteVideo(a2, id2));
    await Promise.all([see1.frames(3, 15000), see2.frames(3, 15000)]);
    expect(Object.keys(remoteTiles(a1))).to.deep.equal([id1]);
    expect(Object.keys(remoteTiles(a2))).to.deep.equal([id2]);
    expect(await b1.eval<string[]>('Object.values(window.__r.remoteNames(window.el))')).to.deep.equal(['A1']);
    expect(await b2.eval<string[]>('Object.values(window.__r.remoteNames(window.el))')).to.deep.equal(['A2']);

    // one leaves: the other call does not notice
    let a2Events = 0;
    for (const type of ['left', 'peer-left', 'error']) a2.addEventListener(type, () => a2Events++);
    await a1.leave();
    expect(a1.state).to.equal('left');
    await see2.frames(10, 10000);
    expect(a2.state).to.equal('joined');
    expect(a2Events).to.equal(0);
    expect(Object.keys(remoteTiles(a2))).to.deep.equal([id2]);
    see1.stop();
    see2.stop();
  });
});
