// A signalling outage: the local server goes away mid-call (going_away, then its port is
// closed) and comes back on the same port. Media is peer-to-peer, so it must keep flowing
// while signalling is down; the element shows state="reconnecting", rejoins when the
// server is back (a new peer id: the server forgot everyone), introduces itself again,
// and ends with exactly one tile per other participant — no ghost of the old peer id, no
// duplicate of the new one.
import { expect, fixture, html } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import {
  bringServerUp,
  DEV_KEY,
  serverStats,
  startLocalServer,
  stopLocalServer,
  takeServerDown,
  uniqueRoom,
  type LocalServer,
} from './helpers/local-server.js';
import { endCalls, openParticipant, type Participant } from './helpers/participants.js';
import { remoteNames, remoteTiles, remoteVideo, stateBecomes, until, watchFrames } from './helpers/resilience.js';

const probe = instrumentPage();
const PARTICIPANT = '/test/fixtures/resilience-participant.html';
const RESILIENCE = { reconnectInitialDelayMs: 200, reconnectMaxDelayMs: 1000 };

let server: LocalServer;
let turnUrl: string;
const elements: MeteredCall[] = [];

describe('signalling outage', function () {
  this.timeout(60000);

  before(async () => {
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    await stopLocalServer(server);
  });
  afterEach(() => endCalls(elements));

  it('keeps media flowing while the server is down, rejoins and re-introduces, and leaves no ghost or duplicate tile', async () => {
    const room = uniqueRoom('outage');
    const a = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
    Object.assign(a, { serverUrl: server.wsUrl, turnUrl, apiKey: DEV_KEY, room, name: 'Ana', resilience: RESILIENCE });
    probe.watch(a);
    elements.push(a);
    const b: Participant = await openParticipant(PARTICIPANT, {
      attrs: JSON.stringify({ 'server-url': server.wsUrl, 'turn-url': turnUrl, 'api-key': DEV_KEY, room, name: 'Bo' }),
      resilience: JSON.stringify(RESILIENCE),
    });
    await a.join();
    const idA = a.peerId!;
    const idB = await b.eval<string>('window.__r.join()');
    await until(() => remoteNames(a)[idB] === 'Bo' && !!remoteVideo(a, idB)?.srcObject, 'B on A, named', 20000);
    const seeB = watchFrames(() => remoteVideo(a, idB));
    await seeB.frames(3, 15000);
    await b.eval(`(async () => { const w = window.__r.watchPeer(${JSON.stringify(idA)}); await window.__r.until(() => !!window.__r.remoteVideo(window.el, ${JSON.stringify(idA)}), 'tile of A'); await window.__r.watches[w].frames(3, 15000); })()`);

    // the server goes away
    const reconnecting = stateBecomes(a, s => s === 'reconnecting', 10000);
    await takeServerDown(server);
    await reconnecting;
    await b.eval(`window.__r.stateBecomes(window.el, s => s === 'reconnecting', 10000)`);
    expect(a.shadowRoot!.querySelector('[part~="summary"], [part~="status"]')?.textContent ?? '', 'the outage is on screen').to.not.equal('');
    // ...and the picture goes on, both ways, over the peer-to-peer connections
    await seeB.frames(15, 10000);
    await b.eval('window.__r.watches[0].frames(15, 10000)');
    expect(a.state, 'still reconnecting: the frames above flowed during the outage').to.equal('reconnecting');
    expect(await b.eval<string>('window.el.state')).to.equal('reconnecting');

    // the server comes back on the same port: both rejoin with new peer ids
    await bringServerUp(server);
    await stateBecomes(a, s => s === 'joined', 20000);
    await b.eval(`window.__r.stateBecomes(window.el, s => s === 'joined', 20000)`);
    const idA2 = a.peerId!;
    const idB2 = await b.eval<string>('window.el.peerId');
    expect(idA2, 'A rejoined as a new peer').to.not.equal(idA);
    expect(idB2, 'B rejoined as a new peer').to.not.equal(idB);

    // exactly one tile each, for the new id, with the name re-introduced, and moving pictures
    await until(() => remoteNames(a)[idB2] === 'Bo', 'B re-introduced on A', 20000);
    await watchFrames(() => remoteVideo(a, idB2)).frames(3, 15000);
    await b.eval(`window.__r.until(() => window.__r.remoteNames(window.el)[${JSON.stringify(idA2)}] === 'Ana', 'A re-introduced on B', 20000)`);
    await b.eval(`window.__r.watchFrames(() => window.__r.remoteVideo(window.el, ${JSON.stringify(idA2)})).frames(3, 15000)`);
    expect(Object.keys(remoteTiles(a)), 'A: one tile, no ghost, no duplicate').to.deep.equal([idB2]);
    expect(await b.eval<string[]>('Object.keys(window.__r.remoteTiles(window.el))'), 'B: one tile').to.deep.equal([idA2]);
    seeB.stop();
    // the old connections are gone, and the server sees exactly the two of them
    expect(probe.livePeerConnections(), 'A: one live connection').to.equal(1);
    expect(await b.eval<number>('window.__r.livePcs().length'), 'B: one live connection').to.equal(1);
    const stats = await serverStats(server);
    expect(stats.openSockets, 'one socket each').to.equal(2);
    expect(stats.channels).to.equal(1);
  });
});
