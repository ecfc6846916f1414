// Signals that arrive before presence (issue: SDK 1.2.0 drops a direct message from a peer
// its presence view does not know yet). The local server's fault mode `faultLatePresence`
// delivers a newcomer's messages, up to its offer, before the presence frame announcing it.
// The element already in the room keeps what came early (the newcomer's track metadata and
// offer) and replays it after presence: it connects, and says it held signals. The control:
// a receive-only plain SDK page in the same place drops the offer — the only offer, since it
// sends nothing itself — and its connection never gets it (which shows the fault is real).
// (The element member has a camera: the fixture's deny=1 page does not finish loading.)
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, isFirstBrowserOfRun, openParticipant } from './helpers/participants.js';
import { elementDiagnostics, elementRemoteFrames, plainDiagnostics, plainJoined } from './helpers/pages.js';

let server: LocalServer;
const open = (path: string, params: Record<string, string>) => openParticipant(path, params, { browser: 'chromium' });

/** The newcomer: the tutorial page with a camera (it offers as soon as it sees the room). */
const newcomer = (room: string) => open('/test/fixtures/plain-sdk.html', { server: server.wsUrl, key: DEV_KEY, room, name: 'Newcomer' });

describe('signals before presence (server fault mode)', function () {
  this.timeout(30000);

  before(async function () {
    if (!(await isFirstBrowserOfRun())) this.skip(); // Chromium participants only: once per run
    server = await startLocalServer({ faultLatePresence: true });
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  it('the element keeps the offer that came before presence and connects', async () => {
    const room = uniqueRoom('early-el');
    const el = await open('/test/fixtures/element-participant.html', {
      'server-url': server.wsUrl,
      'turn-url': `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`,
      'api-key': DEV_KEY,
      room,
      name: 'Member',
      autojoin: '0',
    });
    await el.eval('window.el.join()');
    const plain = await newcomer(room);
    const plainId = await plain.eval<string>(plainJoined());
    try {
      await el.eval(elementRemoteFrames([plainId], 3, 15000)); // under the runner's 20 s command limit
    } catch (err) {
      throw new Error(`${(err as Error).message}\n  ${await el.eval<string>(elementDiagnostics)}\n  ${await plain.eval<string>(plainDiagnostics)}`);
    }
    const recovery = await el.eval<{ heldSignals: number; rescues: number }>('({ ...window.el.session.recovery })');
    expect(recovery.heldSignals, 'signals held before presence').to.be.greaterThan(0);
    expect(recovery.rescues).to.equal(0);
  });

  it('the plain SDK page drops it: its connection to the newcomer never gets the offer', async () => {
    const room = uniqueRoom('early-plain');
    const member = await open('/test/fixtures/plain-sdk.html', { server: server.wsUrl, key: DEV_KEY, room, name: 'Member', recv: '1' });
    await member.eval<string>(plainJoined());
    const plain = await newcomer(room);
    const plainId = await plain.eval<string>(plainJoined());
    // The server announces the newcomer only after relaying its offer: once the member
    // knows the newcomer, that offer has come and gone, and nothing will send it again.
    await member.eval(`new Promise(resolve => {
      const poll = () => window.app.tiles.has(${JSON.stringify(plainId)}) ? resolve() : requestAnimationFrame(poll);
      poll();
    })`);
    const seen = await member.eval<{ signalingState: string; remote: string | null }>(`(() => {
      const r = window.app.peer.remotePeers.find(p => p.id === ${JSON.stringify(plainId)});
      return { signalingState: r.pc.signalingState, remote: r.pc.remoteDescription && r.pc.remoteDescription.type };
    })()`);
    expect(seen, await plain.eval<string>(plainDiagnostics)).to.deep.equal({ signalingState: 'stable', remote: null });
    expect(await plain.eval<string>(plainDiagnostics)).to.include('have-local-offer');
  });
});
