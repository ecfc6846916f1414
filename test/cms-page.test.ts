// The built bundle (dist/metered-call.js) in a page that imitates a CMS
// (test/fixtures/cms-page.html): theme CSS everywhere, nested block containers, a theme
// script with its own copy of Lit, a page builder that re-parents the element before and
// during the call, and the script tag in the footer after the element — loaded twice.
// Two such pages, each a separate visitor, must join, see each other's video, and keep
// the call through a re-parenting. Needs `npm run build` first.
import { expect } from '@open-wc/testing';
import { WAIT_FOR_FRAMES_SOURCE } from './helpers/frames.js';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant, type Participant } from './helpers/participants.js';

const PAGE = '/test/fixtures/cms-page.html';
let server: LocalServer;

/** In a CMS page: resolves once the element's remote video(s) presented `frames` new frames. */
const remoteFrames = (frames = 3, timeoutMs = 15000) => `(async () => {
  const waitForFrames = ${WAIT_FOR_FRAMES_SOURCE};
  const el = document.querySelector('metered-call');
  const t0 = Date.now();
  for (;;) {
    const videos = [...el.shadowRoot.querySelectorAll('[part~="remote"] video')].filter(v => v.srcObject);
    if (videos.length) { await Promise.all(videos.map(v => waitForFrames(v, ${frames}, ${timeoutMs}))); return videos.length; }
    if (Date.now() - t0 > ${timeoutMs}) throw new Error('no remote video in the CMS page');
    await new Promise(r => requestAnimationFrame(r));
  }
})()`;

/** What the theme could have done to the element: computed styles inside its shadow root. */
const styleReport = `(() => {
  const el = document.querySelector('metered-call');
  const root = el.shadowRoot;
  const leave = root.querySelector('[part~="leave-button"]');
  const local = root.querySelector('[part~="local"] video');
  const tile = root.querySelector('[part~="tile"]');
  const cs = e => getComputedStyle(e);
  return {
    upgraded: customElements.get('metered-call') === el.constructor,
    globalClass: typeof window.MeteredCall === 'function' && window.MeteredCall === el.constructor,
    height: el.getBoundingClientRect().height,
    width: el.getBoundingClientRect().width,
    leaveBackground: cs(leave).backgroundColor,
    leavePadding: cs(leave).paddingTop,
    leaveTransform: cs(leave).textTransform,
    videoDisplay: local ? cs(local).display : 'no local video',
    tileBorder: cs(tile).borderTopStyle,
    tileMargin: cs(tile).marginTop,
    parent: el.parentElement.className,
  };
})()`;

describe('<metered-call> on a CMS-like page, from the built bundle', function () {
  this.timeout(60000);
  let a: Participant;
  let b: Participant;

  before(async () => {
    const bundle = await fetch('/dist/metered-call.js');
    expect(bundle.ok, 'dist/metered-call.js is missing: run npm run build').to.equal(true);
    server = await startLocalServer();
  });
  after(async () => {
    await closeAllParticipants();
    await stopLocalServer(server);
  });

  it('joins from the footer script, renders unharmed by the theme, shows the other visitor, and survives a re-parenting', async () => {
    const params = { server: server.wsUrl, turn: `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`, room: uniqueRoom('cms') };
    a = await openParticipant(PAGE, { ...params, name: 'Ana' });
    b = await openParticipant(PAGE, { ...params, name: 'Bo' });
    const [joinedA, joinedB] = await Promise.all([a.eval<{ room: string }>('window.__cms.joined'), b.eval<{ room: string }>('window.__cms.joined')]);
    expect([joinedA.room, joinedB.room]).to.deep.equal([params.room, params.room]);
    expect(await a.eval(remoteFrames())).to.equal(1);
    expect(await b.eval(remoteFrames())).to.equal(1);

    const style = await a.eval<Record<string, unknown>>(styleReport);
    expect(style).to.deep.include({
      upgraded: true,
      globalClass: true,
      leaveTransform: 'none', // the theme uppercases every button
      videoDisplay: 'block', // the theme hides every video with !important
      tileBorder: 'none', // …and dashes every figure and div
      tileMargin: '0px',
      parent: 'elementor-widget-container', // re-parented before the bundle ran
    });
    expect(style.leaveBackground).to.not.equal('rgb(255, 105, 180)'); // hotpink
    expect(style.leavePadding).to.not.equal('40px');
    expect(style.height as number).to.be.greaterThan(200);
    expect(style.width as number, 'the call keeps a usable width in the theme\'s column').to.be.greaterThan(300);

    // the page builder moves the widget again during the call: no leave, media keeps flowing
    await a.eval('window.__cms.reparent()');
    expect(await a.eval(`document.querySelector('metered-call').state`)).to.equal('joined');
    expect(await a.eval(remoteFrames())).to.equal(1);
    expect(await b.eval(remoteFrames())).to.equal(1);

    for (const p of [a, b]) {
      const events = await p.eval<{ type: string }[]>('window.__cms.events');
      expect(events.map(e => e.type)).to.include.members(['joined', 'peer-joined', 'introduce']);
      expect(events.map(e => e.type)).to.not.include.members(['left', 'error']);
      expect(await p.eval('window.__cms.errors'), 'uncaught errors on the page').to.deep.equal([]);
      // same version loaded twice: no warning about <metered-call>; the theme's Lit and ours side by side
      expect((await p.eval<string[]>('window.__cms.warnings')).filter(w => /metered-call/.test(w))).to.deep.equal([]);
      // three Lits ran: the theme's, and the one inside each of the two bundle copies
      expect((await p.eval<string[]>('window.__cms.litVersions()')).length).to.equal(3);
      expect(await p.eval(`document.querySelector('theme-banner').shadowRoot.querySelector('[part=brand]') !== null`)).to.equal(true);
    }
  });
});
