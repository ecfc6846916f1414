// Layout: the grid keeps tiles at their aspect ratio and fills the element's own box (a
// container query, not the viewport) from 1 to 8+ tiles, in a 300 px sidebar as in a full
// screen; the speaker layout puts one tile large over a filmstrip.
//
// Other participants here are fakes: entries put straight into the call's tile list (no
// media, so their tiles show initials). The layout only sees tiles; real calls of two and
// three are in ui-controls.test.ts and ui-remote.test.ts.
import { expect } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { $, $$, makeCall } from './helpers/call-ui.js';

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];
const GAP = 10;
const RATIO = 16 / 9;

/** Puts `n` fake remote participants in `el`'s call (what peer-joined would add). */
async function fakePeers(el: MeteredCall, n: number) {
  const session = (el as unknown as { session: { tiles: Map<string, unknown>; names: Map<string, string> } }).session;
  session.tiles.clear();
  for (let i = 0; i < n; i++) {
    const peerId = `fake-${i}`;
    session.tiles.set(peerId, { peerId, stream: null, screen: null, connection: 'connected' });
    session.names.set(peerId, `Guest ${i + 1}`);
  }
  el.requestUpdate();
  await el.updateComplete;
}

const box = (e: Element) => e.getBoundingClientRect();
/** The largest tile width a grid of `n` tiles at RATIO can have in a w×h box. */
function bestWidth(n: number, w: number, h: number): number {
  let best = 0;
  for (let c = 1; c <= n; c++) {
    const r = Math.ceil(n / c);
    best = Math.max(best, Math.min((w - (c - 1) * GAP) / c, ((h - (r - 1) * GAP) / r) * RATIO));
  }
  return best;
}

describe('layout', function () {
  this.timeout(40000);
  afterEach(async () => {
    await Promise.all(elements.splice(0).map(el => el.leave()));
  });

  for (const [width, height] of [
    [300, 560], // a sidebar
    [768, 520],
    [1400, 800], // full screen
  ] as const) {
    it(`grid of 1 to 9 tiles at ${width}×${height}: inside the stage, no overlap, 16:9, near the largest possible size`, async () => {
      const el = await makeCall(server, { room: uniqueRoom('grid'), skipPrejoin: true, layout: 'grid' });
      elements.push(el);
      el.style.width = `${width}px`;
      el.style.height = `${height}px`;
      await el.join();
      for (let n = 1; n <= 9; n++) {
        await fakePeers(el, n - 1);
        const stage = box($(el, '[part~="stage"]')!);
        const tiles = $$(el, '[part~="tile"]').map(box);
        expect(tiles, `${n} tiles`).to.have.length(n);
        for (const t of tiles) {
          expect(t.left >= stage.left - 0.5 && t.right <= stage.right + 0.5 && t.top >= stage.top - 0.5 && t.bottom <= stage.bottom + 0.5, `${n}: inside the stage`).to.equal(true);
          expect(t.width / t.height, `${n}: aspect ratio`).to.be.closeTo(RATIO, 0.03);
        }
        for (let i = 0; i < tiles.length; i++)
          for (let j = i + 1; j < tiles.length; j++) {
            const [a, b] = [tiles[i]!, tiles[j]!];
            const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
            expect(overlap, `${n}: tiles ${i} and ${j} overlap`).to.equal(false);
          }
        // the size comes from the stage's own box: within 12% of the best any column count gives
        expect(tiles[0]!.width, `${n} tiles in ${Math.round(stage.width)}×${Math.round(stage.height)}`).to.be.at.least(0.88 * bestWidth(n, stage.width, stage.height));
      }
    });
  }

  it('follows the element’s box, not the viewport: the same tiles in a 300 px box on a wide page', async () => {
    expect(window.innerWidth, 'a page wider than the box').to.be.greaterThan(700);
    const el = await makeCall(server, { room: uniqueRoom('box'), skipPrejoin: true });
    elements.push(el);
    el.style.width = '300px';
    el.style.height = '560px';
    await el.join();
    await fakePeers(el, 1);
    const [a, b] = $$(el, '[part~="tile"]').map(box);
    expect(Math.abs(a!.left - b!.left), 'two tiles stacked in a narrow box').to.be.below(1);
    el.style.width = '900px';
    el.style.height = '420px';
    await new Promise(requestAnimationFrame);
    const [c, d] = $$(el, '[part~="tile"]').map(box);
    expect(Math.abs(c!.top - d!.top), 'side by side in a wide one').to.be.below(1);
  });

  it('speaker layout: one tile across the stage, the others in a filmstrip below it', async () => {
    const el = await makeCall(server, { room: uniqueRoom('speaker'), skipPrejoin: true, layout: 'speaker' });
    elements.push(el);
    el.style.width = '1000px';
    el.style.height = '640px';
    await el.join();
    await fakePeers(el, 4);
    const stage = box($(el, '[part~="stage"]')!);
    const main = $$(el, '[part~="tile"][part~="main"]');
    expect(main, 'one main tile').to.have.length(1);
    const m = box(main[0]!);
    expect(m.width).to.be.closeTo(stage.width, 1);
    const strip = $$(el, '[part~="tile"]:not([part~="main"])').map(box);
    expect(strip).to.have.length(4);
    for (const t of strip) {
      expect(t.top, 'below the main tile').to.be.at.least(m.bottom);
      expect(t.bottom).to.be.at.most(stage.bottom + 0.5);
      expect(t.height, 'small').to.be.below(m.height / 3);
    }
    expect(new Set(strip.map(t => Math.round(t.top))).size, 'one row').to.equal(1);

    // without `layout`, a large room gets it too
    el.layout = '';
    await fakePeers(el, 9);
    expect($(el, '[part~="stage"]')!.dataset.layout).to.equal('speaker');
    await fakePeers(el, 3);
    expect($(el, '[part~="stage"]')!.dataset.layout).to.equal('grid');
  });
});
