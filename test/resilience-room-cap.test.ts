// max-peers: a mesh call has a practical size limit. The joiner learns how full the room is
// from the server's presence snapshot (the first presence frame after its subscribe, listing
// every member); beyond `max-peers` it gets state="error" with code `room-full` and shows no
// one, while the people in the call never see it come and go.
import { expect, fixture, html } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { DEV_KEY, serverStats, uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, openParticipant } from './helpers/participants.js';
import { eventually, remoteTiles, remoteVideo, until, watchFrames } from './helpers/resilience.js';

const probe = instrumentPage();
const PARTICIPANT = '/test/fixtures/resilience-participant.html';

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

describe('max-peers', function () {
  this.timeout(60000);
  afterEach(() => endCalls(elements));

  it('defaults to 6 and reads the attribute', async () => {
    const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
    expect(el.maxPeers).to.equal(6);
    el.setAttribute('max-peers', '3');
    expect(el.maxPeers).to.equal(3);
  });

  it('refuses the joiner beyond the cap with room-full; the call of the others is untouched', async () => {
    const room = uniqueRoom('cap');
    const attrs = (name: string) => JSON.stringify({ 'server-url': server.wsUrl, 'api-key': DEV_KEY, room, name, 'max-peers': '2' });
    const a = await fixture<MeteredCall>(html`<metered-call max-peers="2"></metered-call>`);
    Object.assign(a, { serverUrl: server.wsUrl, apiKey: DEV_KEY, room, name: 'A' });
    probe.watch(a);
    elements.push(a);
    await a.join();
    const b = await openParticipant(PARTICIPANT, { attrs: attrs('B') });
    const idB = await b.eval<string>('window.__r.join()');
    await until(() => !!remoteVideo(a, idB)?.srcObject, 'B on A', 20000);
    const seeB = watchFrames(() => remoteVideo(a, idB));
    await seeB.frames(3, 15000);
    const eventsBefore = probe.events.length;
    const connectionsBefore = (await serverStats(server)).connectionsAccepted;

    // the third one finds two in a room for two
    const c = await openParticipant(PARTICIPANT, { attrs: attrs('C') });
    const outcome = await c.eval<{ code: string; message: string; fatal: boolean }>(
      `window.el.join().then(() => null, e => ({ code: e.code, message: e.message, fatal: e.fatal }))`,
    );
    expect(outcome?.code).to.equal('room-full');
    expect(outcome?.fatal).to.equal(true);
    expect(outcome?.message).to.contain('max-peers');
    const cView = await c.eval<{ state: string; shown: string; tiles: number; events: string[] }>(`(async () => {
      await window.el.updateComplete;
      return {
        state: window.el.getAttribute('state'),
        shown: window.el.shadowRoot.querySelector('[part~="error"]')?.textContent ?? '',
        tiles: Object.keys(window.__r.remoteTiles(window.el)).length,
        events: window.__probe.events.map(e => e.type + (e.detail && e.detail.code ? ':' + e.detail.code : '')),
      };
    })()`);
    expect(cView.state).to.equal('error');
    expect(cView.shown, 'the fix is on screen').to.contain('max-peers');
    expect(cView.tiles, 'the refused joiner shows no one').to.equal(0);
    expect(cView.events, 'the refused joiner never announced anyone').to.deep.equal(['error:room-full']);
    // one connection attempt, now closed: the server is back to A and B
    expect((await serverStats(server)).connectionsAccepted - connectionsBefore).to.equal(1);
    await eventually(async () => (await serverStats(server)).openSockets === 2, 'the refused socket to close', 5000);

    // the people in the call never saw C: no events, no tile, and their picture goes on
    const seen = probe.events.slice(eventsBefore).map(e => e.type);
    expect(seen.filter(t => t === 'peer-joined' || t === 'peer-left' || t === 'error'), 'A saw C come and go').to.deep.equal([]);
    expect(Object.keys(remoteTiles(a))).to.deep.equal([idB]);
    expect(a.state).to.equal('joined');
    // and A held no media connection with C: the one the SDK made for it was closed before
    // any description was applied to it (recorded as they are set: Firefox throws on reading
    // a closed connection's descriptions)
    const seated = [...(a as unknown as { session: { connections: ReadonlyMap<string, RTCPeerConnection> } }).session.connections.values()];
    const unseated = probe.peerConnections.filter(pc => !seated.includes(pc));
    expect(unseated.length, 'A made a connection for C').to.be.greaterThan(0);
    expect(unseated.map(pc => `${pc.signalingState} [${probe.descriptionsOf(pc).join(' ')}]`)).to.deep.equal(unseated.map(() => 'closed []'));
    await seeB.frames(10, 10000);
    expect(await b.eval<number>('Object.keys(window.__r.remoteTiles(window.el)).length'), 'B: one tile').to.equal(1);

    // a seat frees: C gets in on its next try
    await b.close();
    const idC = await c.eval<string>('window.__r.join()');
    await until(() => !!remoteVideo(a, idC)?.srcObject, 'C on A', 20000);
    expect(Object.keys(remoteTiles(a))).to.deep.equal([idC]);
    seeB.stop();
  });
});
