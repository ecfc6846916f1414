// The connection watchdog, made deterministic: a participant page with `stall=1` has its
// first connection lose every ICE candidate for good — the state the real stall leaves
// behind (negotiated, ICE "new" forever, nothing ever fails, ICE restarts do not help).
// The SDK never recovers from it. Between two elements the element must replace that one
// connection without leaving the room (same peer ids before and after, no whole-call rescue).
// Against the plain tutorial page, which answers a fresh connection of ours on the one it
// has, the element rejoins the room once instead (a new peer id: the page builds a fresh
// connection to it) and replaces nothing.
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

/** What the element's recovery did (CallSession.recovery). */
const recovery = (p: Participant) =>
  p.eval<{ repairs: number; restarts: number; replacements: number; rescues: number }>('({ ...window.el.session.recovery })');

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

  it('replaces the one stuck connection between two elements, keeping both in the room', async () => {
    const room = uniqueRoom('stalled');
    const a = await element(room, 'A');
    const b = await element(room, 'B', { stall: '1' });
    await a.eval('window.el.join()');
    await b.eval('window.el.join()');
    const [idA, idB] = await Promise.all([a.eval<string>('window.el.peerId'), b.eval<string>('window.el.peerId')]);
    await expectFrames(Promise.all([a.eval(elementRemoteFrames([idB], 3, 25000)), b.eval(elementRemoteFrames([idA], 3, 25000))]), [
      [a, elementDiagnostics],
      [b, elementDiagnostics],
    ]);
    // nobody left the room: the same peer ids, one tile each, no rescue
    expect([await a.eval<string>('window.el.peerId'), await b.eval<string>('window.el.peerId')]).to.deep.equal([idA, idB]);
    expect(await a.eval(`Object.keys(window.__probe.remoteVideos(window.el))`)).to.deep.equal([idB]);
    const [ra, rb] = await Promise.all([recovery(a), recovery(b)]);
    expect(ra.rescues + rb.rescues, 'whole-call rescues').to.equal(0);
    expect(ra.replacements + rb.replacements, `connections replaced (A ${JSON.stringify(ra)}, B ${JSON.stringify(rb)})`).to.be.greaterThan(0);
    expect((await a.eval<string[]>('window.__probe.events.map(e => e.type)')).filter(t => t === 'peer-left')).to.deep.equal([]);
    expect(await a.eval('window.el.state') + ' ' + (await b.eval('window.el.state'))).to.equal('joined joined');
  });

  it('rejoins once for a stuck connection to the plain SDK page, which never recovers by itself', async () => {
    const room = uniqueRoom('stalled-plain');
    const el = await element(room, 'Element', { stall: '1' });
    await el.eval('window.el.join()');
    const firstId = await el.eval<string>('window.el.peerId');
    const plain = await openChromium('/test/fixtures/plain-sdk.html', { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room, name: 'Plain' });
    await plain.eval<string>(plainJoined());
    await expectFrames(el.eval(elementRemoteFrames(null, 3, 15000)), [
      [el, elementDiagnostics],
      [plain, plainDiagnostics],
    ]);
    const idEl = await el.eval<string>('window.el.peerId');
    await expectFrames(plain.eval(plainRemoteFrames(idEl, 3, 15000)), [
      [el, elementDiagnostics],
      [plain, plainDiagnostics],
    ]);
    const r = await recovery(el);
    expect({ rescues: r.rescues, replacements: r.replacements }, JSON.stringify(r)).to.deep.equal({ rescues: 1, replacements: 0 });
    expect(idEl, 'the element is in the room under a new peer id').to.not.equal(firstId);
    // the plain page saw the first id leave and shows the new one only
    expect(await plain.eval<string[]>('[...window.app.tiles.keys()]')).to.deep.equal([idEl]);
  });
});
