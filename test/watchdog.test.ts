// The connection watchdog, made deterministic: a participant page with `stall=1` has its
// first connection lose every ICE candidate for good — the state the real stall leaves
// behind (negotiated, ICE "new" forever, nothing ever fails, ICE restarts do not help).
// The SDK never recovers from it; the element must replace the connection.
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, isFirstBrowserOfRun, openParticipant as open, type Participant, skipBecause } from './helpers/participants.js';
import { elementDiagnostics, elementRemoteFrames, plainDiagnostics, plainJoined, plainRemoteFrames } from './helpers/pages.js';

let server: LocalServer;
/** Participants are Chromium pages whichever browser runs this file: the stall is Chromium's. */
const openChromium = (path: string, params: Record<string, string>) => open(path, params, { browser: 'chromium' });
let turnUrl: string;

const element = (room: string, name: string, extra: Record<string, string> = {}) =>
  openChromium('/test/fixtures/element-participant.html', {
    'server-url': server.wsUrl,
    'turn-url': turnUrl,
    'api-key': DEV_KEY,
    room,
    name,
    autojoin: '0',
    ...extra,
  });

const rescues = async (p: Participant) => (await p.logs()).filter(l => l.includes('rejoining to replace the stuck connection')).length;

/** Awaits `frames`; on failure, says what each side's connection looked like and what the watchdog did. */
async function expectFrames(frames: Promise<unknown>, sides: [Participant, string][]): Promise<void> {
  try {
    await frames;
  } catch (err) {
    const lines = await Promise.all(
      sides.map(async ([p, diag]) => `${await p.eval<string>(diag)}\n    ${(await p.logs()).filter(l => l.includes('metered-call')).join('\n    ')}`),
    );
    throw new Error(`${(err as Error).message}\n  ${lines.join('\n  ')}`);
  }
}

describe('connection watchdog', function () {
  this.timeout(30000);

  before(async function () {
    if (!(await isFirstBrowserOfRun())) skipBecause(this, 'Chromium participants only: run once, from the first browser');
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  it('replaces a stuck connection between two elements (first-offer hold off)', async () => {
    const room = uniqueRoom('stalled');
    const a = await element(room, 'A', { hold: '0' });
    const b = await element(room, 'B', { hold: '0', stall: '1' });
    await a.eval('window.el.join()');
    await b.eval('window.el.join()');
    // whoever rescues gets a new peer id: wait for video from whoever is there, then check who
    await expectFrames(Promise.all([a.eval(elementRemoteFrames(null, 3, 15000)), b.eval(elementRemoteFrames(null, 3, 15000))]), [
      [a, elementDiagnostics],
      [b, elementDiagnostics],
    ]);
    const [idA, idB] = await Promise.all([a.eval<string>('window.el.peerId'), b.eval<string>('window.el.peerId')]);
    expect(await a.eval(`Object.keys(window.__probe.remoteVideos(window.el))`)).to.deep.equal([idB]);
    expect(await b.eval(`Object.keys(window.__probe.remoteVideos(window.el))`)).to.deep.equal([idA]);
    expect((await rescues(a)) + (await rescues(b)), 'connected through a rescue').to.equal(1);
    expect(await a.eval('window.el.state') + ' ' + (await b.eval('window.el.state'))).to.equal('joined joined');
  });

  it('replaces a stuck connection to the plain SDK page, which never recovers by itself', async () => {
    const room = uniqueRoom('stalled-plain');
    const el = await element(room, 'Element', { stall: '1' });
    await el.eval('window.el.join()');
    const plain = await openChromium('/test/fixtures/plain-sdk.html', { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room, name: 'Plain' });
    await plain.eval<string>(plainJoined());
    await expectFrames(el.eval(elementRemoteFrames(null, 3, 15000)), [
      [el, elementDiagnostics],
      [plain, plainDiagnostics],
    ]);
    const idEl = await el.eval<string>('window.el.peerId'); // the new one, after the rescue
    await expectFrames(plain.eval(plainRemoteFrames(idEl, 3, 15000)), [
      [el, elementDiagnostics],
      [plain, plainDiagnostics],
    ]);
    expect(await rescues(el)).to.equal(1);
  });
});
