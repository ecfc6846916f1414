// Chromium ↔ Firefox calls: the classic place WebRTC apps break (codecs, SDP details,
// candidates, autoplay). Every side is a participant opened explicitly in its browser,
// so the browser running this test page does not matter: the suite runs from the first
// browser of the run only (see isFirstBrowserOfRun).
import { expect, waitUntil } from '@open-wc/testing';
import { startLocalServer, stopLocalServer, uniqueRoom, DEV_KEY, type LocalServer } from './helpers/local-server.js';
import {
  openParticipant,
  closeAllParticipants,
  isFirstBrowserOfRun,
  type BrowserKind,
  type Participant,
} from './helpers/participants.js';
import { WAIT_FOR_FRAMES_SOURCE } from './helpers/frames.js';

const PLAIN = '/test/fixtures/plain-sdk.html';

/** Like Promise.all, but settles everything first: no poll outlives the test (and its participants). */
async function allSettled<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find(r => r.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  return results.map(r => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** A plain SDK page (Metered's tutorial) that has joined; its server-assigned peer id. */
interface PlainVisitor { p: Participant; id: string; name: string }

/** The negotiated video codec this page receives from `fromId`, e.g. "video/VP8". */
const receivedCodec = (v: PlainVisitor, fromId: string) =>
  v.p.eval<string | null>(`(async () => {
    const remote = app.peer.remotePeers.find(r => r.id === ${JSON.stringify(fromId)});
    if (!remote) return null;
    const stats = await remote.pc.getStats();
    let codec = null;
    stats.forEach(s => {
      if (s.type === 'inbound-rtp' && s.kind === 'video' && s.codecId) codec = stats.get(s.codecId)?.mimeType ?? null;
    });
    return codec;
  })()`);

describe('Chromium ↔ Firefox, the plain SDK page on both sides', function () {
  let server: LocalServer;

  before(async function () {
    if (!(await isFirstBrowserOfRun())) this.skip(); // already run from the first browser
    server = await startLocalServer();
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(closeAllParticipants);

  const joinPlain = async (browser: BrowserKind, room: string, name: string): Promise<PlainVisitor> => {
    const p = await openParticipant(PLAIN, { server: server.wsUrl, key: DEV_KEY, room, name }, { browser });
    await waitUntil(async () => (await p.eval<string | null>('app.error')) ?? (await p.eval<boolean>('app.joined')),
      `${browser} page never joined`, { timeout: 10000 });
    const error = await p.eval<string | null>('app.error');
    if (error) throw new Error(`${browser} page failed: ${error}`);
    return { p, id: await p.eval<string>('app.peerId'), name };
  };

  /** Waits until `a` has a tile for `b`, and that tile presents decoded frames. */
  const decodes = async (a: PlainVisitor, b: PlainVisitor) => {
    await waitUntil(async () => a.p.eval<boolean>(`app.tiles.has(${JSON.stringify(b.id)})`),
      `${a.p.browser} never got a tile for ${b.p.browser}`, { timeout: 10000 });
    await a.p.eval(`${WAIT_FOR_FRAMES_SOURCE}(app.tiles.get(${JSON.stringify(b.id)}), 5, 15000)`).catch((e: Error) => {
      throw new Error(`${a.p.browser} decoding ${b.p.browser}'s video: ${e.message}`);
    });
    return a.p.eval<{ w: number; h: number }>(
      `(v => ({ w: v.videoWidth, h: v.videoHeight }))(app.tiles.get(${JSON.stringify(b.id)}))`);
  };

  const knowsName = (a: PlainVisitor, b: PlainVisitor) =>
    waitUntil(async () => (await a.p.eval<Record<string, string>>('app.names'))[b.id] === b.name,
      `${a.p.browser} never learnt ${b.p.browser}'s name`, { timeout: 10000 });

  for (const [first, second] of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    it(`${first} joins first, ${second} second: video decodes both ways and names cross both ways`, async () => {
      const room = uniqueRoom('mixed');
      const a = await joinPlain(first, room, `Ana (${first})`);
      const b = await joinPlain(second, room, `Bea (${second})`);

      const [ab, ba] = await allSettled([decodes(a, b), decodes(b, a)]);
      // both fake cameras send real pictures (Chromium 640×480, Firefox's fake device its own size)
      expect(ab.w, `${first} decodes ${second}'s video`).to.be.greaterThan(0);
      expect(ba.w, `${second} decodes ${first}'s video`).to.be.greaterThan(0);
      const codecs = [await receivedCodec(a, b.id), await receivedCodec(b, a.id)];
      expect(codecs.every(c => typeof c === 'string' && c.startsWith('video/')), `codecs ${codecs}`).to.equal(true);
      console.log(`${first} ← ${second}: ${codecs[0]} ${ab.w}×${ab.h}; ${second} ← ${first}: ${codecs[1]} ${ba.w}×${ba.h}`);

      await allSettled([knowsName(a, b), knowsName(b, a)]);
      // exactly one tile each: no duplicate peer, no ghost of ourselves
      expect(await a.p.eval<number>('app.tiles.size')).to.equal(1);
      expect(await b.p.eval<number>('app.tiles.size')).to.equal(1);
    });
  }

  for (const [stays, leaves] of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    it(`${stays} sees ${leaves} leave (peer-left removes its tile)`, async () => {
      const room = uniqueRoom('mixed-left');
      const a = await joinPlain(stays, room, 'Stays');
      const b = await joinPlain(leaves, room, 'Leaves');
      await waitUntil(async () => a.p.eval<boolean>(`app.tiles.has(${JSON.stringify(b.id)})`),
        `${stays} never saw ${leaves} join`, { timeout: 10000 });

      await b.p.close();
      await waitUntil(async () => !(await a.p.eval<boolean>(`app.tiles.has(${JSON.stringify(b.id)})`)),
        `${stays} never saw ${leaves} leave`, { timeout: 10000 });
      expect(await a.p.eval<string[]>('app.peer.remotePeers.map(r => r.id)')).to.deep.equal([]);
    });
  }
});
