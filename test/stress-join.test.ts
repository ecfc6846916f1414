// "Every join connects": many two-party joins in a row, each side in its own browser
// context, each join a fresh MeteredPeer in a fresh room, a join counting only when
// remote video frames decode on both sides. Reports the element's success rate next
// to the plain tutorial page's (test/fixtures/plain-sdk.html) on the same server.
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, isFirstBrowserOfRun, openParticipant as open, type Participant, skipBecause } from './helpers/participants.js';
import { elementDiagnostics, elementRemoteFrames, plainDiagnostics, plainJoined, plainRemoteFrames } from './helpers/pages.js';

const ELEMENT_JOINS = 50;
const MIXED_JOINS = 16;
const PLAIN_JOINS = 20;
/** A join that has no frames on both sides by then has failed (the stall never recovers by itself). */
const JOIN_DEADLINE_MS = 12000;

interface Tally {
  label: string;
  joins: number;
  connected: number;
  ms: number[];
  failures: string[];
  /** Connections the watchdog replaced (one peer each, between elements). */
  replaced?: number;
  /** Rooms rejoined for a stalled connection to a plain page (the one case the element rejoins). */
  rejoined?: number;
}

const results: Tally[] = [];
let server: LocalServer;
/** Participants are Chromium pages whichever browser runs this file: the stall is Chromium's. */
const openChromium = (path: string, params: Record<string, string>) => open(path, params, { browser: 'chromium' });
let turnUrl: string;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? NaN;

async function elementPair(params: Record<string, string> = {}): Promise<[Participant, Participant]> {
  const open = (name: string) =>
    openChromium('/test/fixtures/element-participant.html', {
      'server-url': server.wsUrl,
      'turn-url': turnUrl,
      'api-key': DEV_KEY,
      name,
      autojoin: '0',
      ...params,
    });
  return [await open('A'), await open('B')];
}

/** One join: A joins, then B (or both at once); both must decode the other's video. */
async function elementJoin(a: Participant, b: Participant, simultaneous: boolean): Promise<number> {
  const room = uniqueRoom('stress');
  const join = (p: Participant) => p.eval(`(window.el.room = ${JSON.stringify(room)}, window.el.join())`);
  if (simultaneous) await Promise.all([join(a), join(b)]);
  else await join(a);
  const t0 = performance.now();
  if (!simultaneous) await join(b);
  await Promise.all([a.eval(elementRemoteFrames(null, 3, JOIN_DEADLINE_MS)), b.eval(elementRemoteFrames(null, 3, JOIN_DEADLINE_MS))]);
  const elapsed = performance.now() - t0;
  const [idA, idB] = await Promise.all([a.eval<string>('window.el.peerId'), b.eval<string>('window.el.peerId')]);
  const seen = await Promise.all([a.eval<string[]>('Object.keys(window.__probe.remoteVideos(window.el))'), b.eval<string[]>('Object.keys(window.__probe.remoteVideos(window.el))')]);
  if (seen[0].join() !== idB || seen[1].join() !== idA) throw new Error(`tiles ${JSON.stringify(seen)} for peers ${idA} ${idB}`);
  return elapsed;
}

async function runElementJoins(tally: Tally, params: Record<string, string> = {}): Promise<void> {
  const [a, b] = await elementPair(params);
  for (let i = 0; i < tally.joins; i++) {
    try {
      tally.ms.push(await elementJoin(a, b, i % 2 === 1));
      tally.connected++;
    } catch (err) {
      const diag = await Promise.all([a.eval<string>(elementDiagnostics), b.eval<string>(elementDiagnostics)]);
      tally.failures.push(`join ${i}: ${(err as Error).message} | A ${diag[0]} | B ${diag[1]}`);
    }
    await Promise.all([a.eval('window.el.leave()'), b.eval('window.el.leave()')]);
  }
  const logs = [...(await a.logs()), ...(await b.logs())];
  tally.replaced = replacedIn(logs);
  tally.rejoined = rejoinedIn(logs);
  await closeAllParticipants();
}

const replacedIn = (logs: string[]) => logs.filter(l => l.includes('<metered-call> new connection to')).length;
const rejoinedIn = (logs: string[]) => logs.filter(l => l.includes('<metered-call> rejoining the room for plain page')).length;

function report(): void {
  const rows = results.map(t => {
    const rate = ((100 * t.connected) / t.joins).toFixed(1);
    const timing = t.ms.length ? `median ${Math.round(median(t.ms))} ms, p90 ${Math.round(p90(t.ms))} ms, max ${Math.round(Math.max(...t.ms))} ms` : '';
    const replaced = t.replaced === undefined ? '' : `, connections replaced: ${t.replaced}`;
    const rejoined = t.rejoined === undefined ? '' : `, rooms rejoined: ${t.rejoined}`;
    return `  ${t.label.padEnd(34)} ${String(t.connected).padStart(3)}/${t.joins} connected (${rate} %)  ${timing}${replaced}${rejoined}`;
  });
  console.log(['two-party joins, frames decoded on both sides within 12 s:', ...rows].join('\n'));
}

describe('every join connects', function () {
  this.timeout(5 * 60 * 1000);

  before(async function () {
    if (!(await isFirstBrowserOfRun())) skipBecause(this, 'Chromium participants only: run once, from the first browser');
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (!server) return;
    report();
    await closeAllParticipants();
    await stopLocalServer(server);
  });

  it(`connects ${ELEMENT_JOINS} two-party joins of <metered-call> in a row`, async () => {
    const tally: Tally = { label: '<metered-call>', joins: ELEMENT_JOINS, connected: 0, ms: [], failures: [] };
    results.push(tally);
    await runElementJoins(tally);
    expect(tally.failures, tally.failures.join('\n')).to.deep.equal([]);
  });

  it(`connects ${MIXED_JOINS} joins of <metered-call> with the plain tutorial page, either joining first`, async () => {
    // glare still happens here (the tutorial page never holds its offer): the watchdog's case
    const tally: Tally = { label: '<metered-call> ↔ tutorial page', joins: MIXED_JOINS, connected: 0, ms: [], failures: [] };
    results.push(tally);
    const el = await openChromium('/test/fixtures/element-participant.html', {
      'server-url': server.wsUrl,
      'turn-url': turnUrl,
      'api-key': DEV_KEY,
      name: 'Element',
      autojoin: '0',
    });
    for (let i = 0; i < MIXED_JOINS; i++) {
      const room = uniqueRoom('mixed');
      const openPlain = () => openChromium('/test/fixtures/plain-sdk.html', { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room, name: 'Plain' });
      const joinElement = () => el.eval(`(window.el.room = ${JSON.stringify(room)}, window.el.join())`);
      let plain: Participant | null = null;
      try {
        let t0: number;
        if (i % 2 === 0) {
          await joinElement();
          t0 = performance.now();
          plain = await openPlain();
        } else {
          plain = await openPlain();
          await plain.eval(plainJoined());
          t0 = performance.now();
          await joinElement();
        }
        await plain.eval(plainJoined());
        await el.eval(elementRemoteFrames(null, 3, JOIN_DEADLINE_MS));
        const elId = await el.eval<string>('window.el.peerId');
        await plain.eval(plainRemoteFrames(elId, 3, JOIN_DEADLINE_MS));
        tally.ms.push(performance.now() - t0);
        tally.connected++;
      } catch (err) {
        const diag = [await el.eval<string>(elementDiagnostics), plain ? await plain.eval<string>(plainDiagnostics) : 'not open'];
        tally.failures.push(`join ${i}: ${(err as Error).message} | element ${diag[0]} | plain ${diag[1]}`);
      }
      await el.eval('window.el.leave()');
      await plain?.close();
    }
    const logs = await el.logs();
    tally.replaced = replacedIn(logs);
    tally.rejoined = rejoinedIn(logs);
    await closeAllParticipants();
    expect(tally.failures, tally.failures.join('\n')).to.deep.equal([]);
  });

  it(`measures the plain tutorial page (${PLAIN_JOINS} joins); every failure it has is the documented stall`, async () => {
    // clock: from B's page starting to load (it joins on load) to frames on both sides
    const tally: Tally = { label: 'plain SDK page (tutorial)', joins: PLAIN_JOINS, connected: 0, ms: [], failures: [] };
    results.push(tally);
    const stallSignatures: boolean[] = [];
    for (let i = 0; i < PLAIN_JOINS; i++) {
      const params = { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room: uniqueRoom('plain') };
      const a = await openChromium('/test/fixtures/plain-sdk.html', { ...params, name: 'A' });
      const idA = await a.eval<string>(plainJoined());
      const t0 = performance.now();
      const b = await openChromium('/test/fixtures/plain-sdk.html', { ...params, name: 'B' });
      try {
        const idB = await b.eval<string>(plainJoined());
        await Promise.all([a.eval(plainRemoteFrames(idB, 3, JOIN_DEADLINE_MS)), b.eval(plainRemoteFrames(idA, 3, JOIN_DEADLINE_MS))]);
        tally.ms.push(performance.now() - t0);
        tally.connected++;
      } catch (err) {
        const diag = [await a.eval<string>(plainDiagnostics), await b.eval<string>(plainDiagnostics)];
        tally.failures.push(`join ${i}: ${(err as Error).message} | A ${diag[0]} | B ${diag[1]}`);
        // the signature: a connection that never left "new", negotiation done ("stable"),
        // and one side's ICE agent stuck "gathering" with no candidate in its description
        const stuck = `(() => window.app.peer.remotePeers.some(r => r.pc.connectionState === 'new' && r.pc.signalingState === 'stable'
          && r.pc.iceGatheringState === 'gathering' && !/a=candidate/.test(r.pc.localDescription?.sdp ?? '')))()`;
        stallSignatures.push((await a.eval<boolean>(stuck)) || (await b.eval<boolean>(stuck)));
      }
      await closeAllParticipants();
    }
    if (tally.failures.length) console.log(`plain page failures:\n${tally.failures.join('\n')}`);
    console.log(`plain tutorial page: ${tally.connected} of ${PLAIN_JOINS} joins connected`);
    // the page stalls about 1 join in 8–25 here: most joins must still connect, or the
    // harness (not the SDK) is broken and the comparison means nothing
    expect(tally.connected, `plain page joins connected (of ${PLAIN_JOINS})`).to.be.at.least(Math.ceil(PLAIN_JOINS / 2));
    expect(stallSignatures.every(Boolean), `a plain-page failure without the stall signature:\n${tally.failures.join('\n')}`).to.equal(true);
  });
});
