// ICE failure: one participant reaches the other only through its own TURN server (relay
// only), and that TURN server is frozen (SIGSTOP) — for that participant the network is
// cut. The element must notice, show it on the tile, restart ICE, and either recover when
// the network is back or, when the participant goes away for good, remove the tile and
// close the connection cleanly.
import { expect, fixture, html } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import {
  DEV_KEY,
  pauseTurn,
  resumeTurn,
  startLocalServer,
  stopLocalServer,
  uniqueRoom,
  type LocalServer,
} from './helpers/local-server.js';
import { closeAllParticipants, openParticipant } from './helpers/participants.js';
import { remoteTiles, remoteVideo, until, watchFrames } from './helpers/resilience.js';

const probe = instrumentPage();
const PARTICIPANT = '/test/fixtures/resilience-participant.html';

let server: LocalServer;
/** B's own TURN server: pausing it cuts B's only path. */
let bTurn: LocalServer;
const elements: MeteredCall[] = [];

const ufrag = (pc: RTCPeerConnection) => /a=ice-ufrag:(\S+)/.exec(pc.localDescription?.sdp ?? '')?.[1] ?? null;
const tileParts = (el: MeteredCall, peerId: string) => (remoteTiles(el)[peerId]?.getAttribute('part') ?? '').split(/\s+/);

describe('ICE failure', function () {
  this.timeout(90000);

  before(async () => {
    server = await startLocalServer();
    bTurn = await startLocalServer();
  });
  after(async () => {
    await resumeTurn(bTurn).catch(() => {});
    await stopLocalServer(bTurn);
    await stopLocalServer(server);
  });
  afterEach(async () => {
    await resumeTurn(bTurn).catch(() => {});
    await Promise.all(elements.splice(0).map(el => el.leave()));
    await closeAllParticipants();
  });

  it('shows the failure on the tile, restarts ICE, recovers when the network is back, and removes the tile cleanly when the peer is gone', async () => {
    const room = uniqueRoom('ice-fail');
    const a = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
    Object.assign(a, { serverUrl: server.wsUrl, turnUrl: `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`, apiKey: DEV_KEY, room, name: 'A' });
    probe.watch(a);
    elements.push(a);
    const b = await openParticipant(PARTICIPANT, {
      attrs: JSON.stringify({
        'server-url': server.wsUrl,
        'turn-url': `${bTurn.turnCredentialsUrl}?apiKey=${DEV_KEY}`,
        'api-key': DEV_KEY,
        room,
        name: 'B',
        'ice-transport-policy': 'relay',
      }),
    });
    await a.join();
    const idB = await b.eval<string>('window.__r.join()');
    await until(() => !!remoteVideo(a, idB)?.srcObject, 'the tile of B on A', 20000);
    const seeB = watchFrames(() => remoteVideo(a, idB));
    await seeB.frames(3, 15000);
    const [pc] = probe.peerConnections.filter(p => p.connectionState === 'connected');
    expect(pc, 'A is connected to B').to.exist;
    const before = ufrag(pc!);

    // B's network is cut: its relay stops answering
    await pauseTurn(bTurn);
    // promptly: the browsers notice a dead path within seconds (ICE consent checks)
    await until(() => tileParts(a, idB).includes('reconnecting') || tileParts(a, idB).includes('failed'), 'the tile to show the failure', 12000);
    const status = remoteTiles(a)[idB]!.querySelector('[part~="status"]');
    expect(status?.textContent?.trim(), 'the tile says so').to.not.equal('');
    expect(a.state, 'the call itself goes on').to.equal('joined');
    // ...and the connection is restarted (an ICE restart renews the ICE credentials of both ends)
    await until(() => ufrag(pc!) !== before, 'an ICE restart', 30000);

    // the network comes back: the same connection recovers, the tile is clean again
    await resumeTurn(bTurn);
    await until(() => pc!.connectionState === 'connected', 'the connection to recover', 30000);
    await until(() => !tileParts(a, idB).some(p => p === 'reconnecting' || p === 'failed' || p === 'connecting'), 'the tile to clear', 15000);
    await seeB.frames(10, 15000);
    expect(Object.keys(remoteTiles(a)), 'the same tile, no second one').to.deep.equal([idB]);
    seeB.stop();

    // cut again, and this time B never comes back (closes the page): the tile goes, cleanly
    await pauseTurn(bTurn);
    await until(() => tileParts(a, idB).includes('reconnecting') || tileParts(a, idB).includes('failed'), 'the tile to show the failure again', 30000);
    const left = new Promise<void>(resolve =>
      a.addEventListener('peer-left', e => (e as CustomEvent).detail.peerId === idB && resolve()),
    );
    await closeAllParticipants();
    await left;
    await a.updateComplete;
    expect(remoteTiles(a), 'no tile left behind').to.deep.equal({});
    expect(probe.livePeerConnections(), 'no connection left open').to.equal(0);
    expect(a.state).to.equal('joined');
  });
});
