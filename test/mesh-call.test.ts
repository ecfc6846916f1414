// Calls of several elements: a 6-person call completes (every page decodes the other 5),
// and one participant leaving abruptly and coming back (what a reload does on the wire: its
// sockets and connections close, a new page joins with a new peer id, a late joiner into the
// 5 who stayed) costs nobody else a connection. Everyone joins at once where it says
// so: the case that used to stall. Chromium participants, once per run.
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, isFirstBrowserOfRun, openParticipant, type Participant } from './helpers/participants.js';
import { elementDiagnostics, elementRemoteFrames } from './helpers/pages.js';

let server: LocalServer;
/** Time for a whole mesh to decode frames everywhere (a loaded 2-core machine). */
const MESH_DEADLINE_MS = 60_000;
/** One command to a participant must answer within the runner's 20 s: longer waits go in slices. */
const SLICE_MS = 10_000;

const element = (room: string, name: string) =>
  openParticipant(
    '/test/fixtures/element-participant.html',
    { 'server-url': server.wsUrl, 'turn-url': `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`, 'api-key': DEV_KEY, room, name, autojoin: '0' },
    { browser: 'chromium' },
  );

type Recovery = { repairs: number; restarts: number; replacements: number; releasedOffers: number; heldSignals: number; rescues: number };
const recovery = (p: Participant) => p.eval<Recovery>('({ ...window.el.session.recovery })');
const peerId = (p: Participant) => p.eval<string>('window.el.peerId');

/** Every page decodes video from every other one; on failure, what each page saw and what its recovery did. */
async function expectFullMesh(pages: Participant[]): Promise<string[]> {
  const ids = await Promise.all(pages.map(peerId));
  const deadline = performance.now() + MESH_DEADLINE_MS;
  /** Waits for `p`'s frames in slices of one command each, until they came or the deadline passed. */
  const framesOn = async (p: Participant, others: string[]) => {
    for (;;) {
      try {
        // one new frame from every tile within a slice: decoding (each slice counts afresh,
        // and a loaded 2-core machine decodes six-way calls at a few frames per second)
        return await p.eval(elementRemoteFrames(others, 1, Math.min(SLICE_MS, Math.max(1000, deadline - performance.now()))));
      } catch (err) {
        if (performance.now() >= deadline) throw err;
      }
    }
  };
  try {
    await Promise.all(pages.map((p, i) => framesOn(p, ids.filter((_, j) => j !== i))));
  } catch (err) {
    const lines = await Promise.all(pages.map(async p => `${await p.eval<string>(elementDiagnostics)} recovery=${JSON.stringify(await recovery(p))}`));
    throw new Error(`${(err as Error).message}\n  ${lines.join('\n  ')}`);
  }
  return ids;
}

async function openCall(room: string, n: number): Promise<Participant[]> {
  // pages open one after the other (opening six browser contexts at once starves a loaded
  // machine of its page loads), then everyone joins at once
  const pages: Participant[] = [];
  for (let i = 0; i < n; i++) pages.push(await element(room, `P${i + 1}`));
  await Promise.all(pages.map(p => p.eval('window.el.join()')));
  return pages;
}

describe('mesh calls of elements', function () {
  this.timeout(180_000);

  before(async function () {
    if (!(await isFirstBrowserOfRun())) this.skip();
    server = await startLocalServer();
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  // one call for both (a six-way mesh is the suite's most expensive setup): the page that
  // comes back is the late joiner into the 5 who stayed
  it('a 6-person call completes with everyone joining at once (each page decodes the other 5, nobody rejoins); one leaving abruptly and coming back, a late joiner into the 5 others, costs nobody else a connection', async () => {
    const room = uniqueRoom('mesh6');
    const pages = await openCall(room, 6);
    const ids = await expectFullMesh(pages);
    const r = await Promise.all(pages.map(recovery));
    expect(r.map(x => x.rescues)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    const left = await Promise.all(pages.map(p => p.eval<number>(`window.__probe.events.filter(e => e.type === 'peer-left').length`)));
    expect(left, 'peer-left though nobody left').to.deep.equal([0, 0, 0, 0, 0, 0]);

    // the others' connections among themselves, remembered by identity
    const [leaver, ...stay] = pages;
    const leaverId = ids[0]!;
    await Promise.all(stay.map(p => p.eval(`(window.__kept = new Map([...window.el.session.connections].filter(([id]) => id !== ${JSON.stringify(leaverId)})), window.__kept.size)`)));
    await leaver!.close();
    const back = await element(room, 'P1 again');
    await back.eval('window.el.join()');
    await expectFullMesh([...stay, back]);
    for (const p of stay) {
      const kept = await p.eval<{ same: boolean; size: number; states: string[] }>(`(() => {
        const now = window.el.session.connections;
        const same = [...window.__kept].every(([id, pc]) => now.get(id) === pc);
        return { same, size: window.__kept.size, states: [...window.__kept.values()].map(pc => pc.connectionState) };
      })()`);
      expect(kept.size, 'connections to the 4 others who stayed').to.equal(4);
      expect(kept.same, 'the same connections to everyone else').to.equal(true);
      expect(kept.states.every(s => s === 'connected'), kept.states.join()).to.equal(true);
      expect((await recovery(p)).rescues).to.equal(0);
    }
  });
});
