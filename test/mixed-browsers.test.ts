// Chromium ↔ Firefox calls: the classic place WebRTC apps break (codecs, SDP details,
// candidates, autoplay). Every side is a participant opened explicitly in its browser,
// so the browser running this test page does not matter: the suite runs from the first
// browser of the run only (see isFirstBrowserOfRun).
import { expect, waitUntil } from '@open-wc/testing';
import { startLocalServer, stopLocalServer, uniqueRoom, DEV_KEY, type LocalServer } from './helpers/local-server.js';
import { openParticipant, closeAllParticipants, isFirstBrowserOfRun, type BrowserKind, type Participant, skipBecause } from './helpers/participants.js';
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
    if (!(await isFirstBrowserOfRun())) skipBecause(this, 'opens both browsers itself: run once, from the first browser');
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

// ------------------------------------------------------------------ the element

const ELEMENT = '/test/fixtures/element-participant.html';

/** A `<metered-call>` page (test/fixtures/element-participant.html) that has joined. */
interface ElementVisitor { p: Participant; id: string; name: string }

/** Its call and its live peer connections, for failure messages. */
const elementDiagnostics = (v: ElementVisitor) =>
  v.p.eval<string>(`'state=' + window.el.state + ' pcs=[' + window.__probe.peerConnections
    .filter(pc => pc.connectionState !== 'closed')
    .map(pc => pc.signalingState + '/' + pc.iceConnectionState + '/' + pc.connectionState).join(', ') + ']'`)
    .catch((e: Error) => `(no diagnostics: ${e.message})`);

describe('Chromium ↔ Firefox, <metered-call>', function () {
  this.timeout(60000);
  let server: LocalServer;
  let turnUrl: string;

  before(async function () {
    if (!(await isFirstBrowserOfRun())) skipBecause(this, 'opens both browsers itself: run once, from the first browser');
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(closeAllParticipants);

  const joinElement = async (browser: BrowserKind, room: string, name: string): Promise<ElementVisitor> => {
    const p = await openParticipant(
      ELEMENT,
      { 'server-url': server.wsUrl, 'turn-url': turnUrl, 'api-key': DEV_KEY, room, name, autojoin: '0' },
      { browser },
    );
    await p.eval('window.el.join()').catch((e: Error) => {
      throw new Error(`the element in ${browser} did not join: ${e.message}`);
    });
    return { p, id: await p.eval<string>('window.el.peerId'), name };
  };

  const joinPlain = async (browser: BrowserKind, room: string, name: string): Promise<PlainVisitor> => {
    const p = await openParticipant(PLAIN, { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room, name }, { browser });
    await waitUntil(async () => (await p.eval<string | null>('app.error')) ?? (await p.eval<boolean>('app.joined')),
      `${browser} page never joined`, { timeout: 10000 });
    const error = await p.eval<string | null>('app.error');
    if (error) throw new Error(`${browser} page failed: ${error}`);
    return { p, id: await p.eval<string>('app.peerId'), name };
  };

  /** `a` (an element page) decodes video from each of `from`. */
  const elementDecodes = (a: ElementVisitor, from: { id: string; p: Participant }[]) =>
    a.p.eval(`window.__probe.waitForRemoteFrames(window.el, ${JSON.stringify(from.map(f => f.id))}, 5, 15000)`)
      .catch(async (e: Error) => {
        throw new Error(`${a.p.browser} element decoding ${from.map(f => f.p.browser).join(' + ')}: ${e.message}; ${await elementDiagnostics(a)}`);
      });

  /** The names `a`'s element shows on its remote tiles. */
  const elementNames = (a: ElementVisitor) => a.p.eval<Record<string, string>>('window.__probe.remoteNames(window.el)');

  const elementShowsNames = (a: ElementVisitor, others: { id: string; name: string; p: Participant }[]) =>
    waitUntil(async () => {
      const names = await elementNames(a);
      return others.every(o => names[o.id] === o.name);
    }, `${a.p.browser} element never showed ${others.map(o => `${o.p.browser}'s name`).join(', ')}`, { timeout: 10000 });

  /** The peer-left events `a`'s element fired, by peer id. */
  const peerLefts = (a: ElementVisitor) =>
    a.p.eval<string[]>(`window.__probe.events.filter(e => e.type === 'peer-left').map(e => e.detail.peerId)`);

  const sawLeave = async (a: ElementVisitor, b: { id: string; p: Participant }) => {
    await waitUntil(async () => (await peerLefts(a)).includes(b.id),
      `${a.p.browser} element got no peer-left for ${b.p.browser}`, { timeout: 10000 });
    expect(Object.keys(await elementNames(a)), `${a.p.browser} still shows a tile for ${b.p.browser}`).to.not.include(b.id);
  };

  for (const [first, second] of [['chromium', 'firefox'], ['firefox', 'chromium']] as const) {
    it(`element in ${first} first, element in ${second} second: video, names and peer-left both ways`, async () => {
      const room = uniqueRoom('mixed-el');
      const a = await joinElement(first, room, `Ana ${first}`);
      const b = await joinElement(second, room, `Bea ${second}`);

      await allSettled([elementDecodes(a, [b]), elementDecodes(b, [a])]);
      await allSettled([elementShowsNames(a, [b]), elementShowsNames(b, [a])]);
      // the introduce events carry the same names
      const introduced = await b.p.eval<{ peerId: string; username: string }[]>(
        `window.__probe.events.filter(e => e.type === 'introduce').map(e => e.detail)`);
      expect(introduced).to.deep.include({ peerId: a.id, username: a.name });

      // the second leaves (leave()): the first sees peer-left; then the other way round
      await b.p.eval('window.el.leave()');
      await sawLeave(a, b);
      const c = await joinElement(second, room, `Cleo ${second}`);
      await elementDecodes(c, [a]);
      await a.p.eval('window.el.leave()');
      await sawLeave(c, a);
    });
  }

  it('element in Chromium ↔ the plain SDK page in Firefox: video, names and peer-left both ways', async () => {
    const room = uniqueRoom('mixed-el-plain');
    const el = await joinElement('chromium', room, 'Ana element');
    const plain = await joinPlain('firefox', room, 'Bea plain');

    await allSettled([
      elementDecodes(el, [plain]),
      plain.p.eval(`(async () => {
        // the tile appears on peer-joined, its stream on the first track
        for (const t0 = performance.now(); !app.tiles.get(${JSON.stringify(el.id)})?.srcObject && performance.now() - t0 < 10000; ) await new Promise(r => requestAnimationFrame(r));
        await ${WAIT_FOR_FRAMES_SOURCE}(app.tiles.get(${JSON.stringify(el.id)}), 5, 15000);
      })()`).catch((e: Error) => {
        throw new Error(`the Firefox plain page decoding the Chromium element: ${e.message}`);
      }),
    ]);
    await allSettled([
      elementShowsNames(el, [plain]),
      waitUntil(async () => (await plain.p.eval<Record<string, string>>('app.names'))[el.id] === el.name,
        'the Firefox plain page never learnt the element’s name', { timeout: 10000 }),
    ]);

    // the plain page goes away (tab closed): the element fires peer-left
    await plain.p.close();
    await sawLeave(el, plain);
    // a new plain page; the element leaves: the plain page's peer-left removes its tile
    const plain2 = await joinPlain('firefox', room, 'Cleo plain');
    await waitUntil(async () => plain2.p.eval<boolean>(`app.tiles.has(${JSON.stringify(el.id)})`),
      'the second plain page never saw the element', { timeout: 10000 });
    await el.p.eval('window.el.leave()');
    await waitUntil(async () => !(await plain2.p.eval<boolean>(`app.tiles.has(${JSON.stringify(el.id)})`)),
      'the Firefox plain page never saw the element leave', { timeout: 10000 });
  });

  it('three-party call, two Chromium and one Firefox: everyone decodes and names everyone; Firefox leaves', async () => {
    const room = uniqueRoom('mixed-3');
    const ana = await joinElement('chromium', room, 'Ana chromium');
    const fox = await joinElement('firefox', room, 'Fox firefox');
    const bea = await joinElement('chromium', room, 'Bea chromium');
    const all = [ana, fox, bea];
    const others = (v: ElementVisitor) => all.filter(o => o !== v);

    await allSettled(all.map(v => elementDecodes(v, others(v))));
    await allSettled(all.map(v => elementShowsNames(v, others(v))));

    await fox.p.eval('window.el.leave()');
    await allSettled([sawLeave(ana, fox), sawLeave(bea, fox)]);
    // the Chromium pair goes on
    expect(Object.keys(await elementNames(ana))).to.deep.equal([bea.id]);
    expect(Object.keys(await elementNames(bea))).to.deep.equal([ana.id]);
  });
});
