// Pages we do not control. The built bundle (dist/metered-call.js, loaded by <script src>)
// on a page served with a strict Content-Security-Policy — default-src 'self'; script-src
// 'self'; style-src 'self'; connect-src only the signalling and TURN origins; nothing
// inline, no eval — must join and show video with zero violations reported. And on a page
// whose global CSS is hostile (`* { all: unset }`, `video { display: none !important }`,
// huge fonts, box-sizing changes, everything hidden) it must still join and render: tiles
// with moving video, controls that can be clicked, text inside its own box.
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { freshBundle } from './helpers/bundle.js';
import { closeAllParticipants, openParticipant, type Participant } from './helpers/participants.js';

let server: LocalServer;
let turnUrl: string;

interface Violation {
  directive: string;
  blocked: string;
  sample: string;
  source: string;
}

/** A participant on one of the strict pages, and one (from the sources) on an ordinary page; both joined, video both ways. */
async function callFrom(page: string, room: string): Promise<{ strict: Participant; other: Participant; idStrict: string; idOther: string }> {
  const attrs = (name: string) => JSON.stringify({ 'server-url': server.wsUrl, 'turn-url': turnUrl, 'api-key': DEV_KEY, room, name });
  const strict = await openParticipant(page, { server: server.wsUrl, turn: turnUrl, attrs: attrs('Strict') });
  expect(await strict.eval<boolean>('window.__r.fromBundle()'), 'the element comes from dist/metered-call.js').to.equal(true);
  const other = await openParticipant('/test/fixtures/resilience-participant.html', { attrs: attrs('Other') });
  const idStrict = await strict.eval<string>('window.__r.join()');
  const idOther = await other.eval<string>('window.__r.join()');
  const frames = (p: Participant, of: string) =>
    p.eval(`(async () => {
      await window.__r.until(() => !!window.__r.remoteVideo(window.el, ${JSON.stringify(of)})?.srcObject, 'the remote tile', 20000);
      await window.__r.watchFrames(() => window.__r.remoteVideo(window.el, ${JSON.stringify(of)})).frames(5, 15000);
    })()`);
  await Promise.all([frames(strict, idOther), frames(other, idStrict)]);
  return { strict, other, idStrict, idOther };
}

describe('strict pages', function () {
  this.timeout(90000);

  before(async function () {
    this.timeout(240000); // a build, when the bundle is older than the sources
    await freshBundle(); // the page loads dist/metered-call.js: built from the current sources
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  it('works under a strict Content-Security-Policy with zero violations', async () => {
    const { strict } = await callFrom('/test/fixtures/strict-page.html', uniqueRoom('csp'));
    // the test server injects its own live-reload socket into every HTML page it serves;
    // that one is the harness's, not the element's, and the policy rightly blocks it
    const harness = (v: Violation) => v.source.includes('/__web-dev-server__') && v.directive === 'connect-src';
    const violations = (await strict.eval<Violation[]>('window.__violations')).filter(v => !harness(v));
    expect(violations, JSON.stringify(violations, null, 1)).to.deep.equal([]);
    expect(await strict.eval<string>('window.el.state')).to.equal('joined');

    // the policy is really in force, and the watcher really hears about breaches
    const controls = await strict.eval<Violation[]>(`(async () => {
      // both reports arrive as events, after the breaches themselves
      const reported = new Promise(resolve => {
        const awaited = new Set(['style-src-attr', 'connect-src']);
        document.addEventListener('securitypolicyviolation', e => {
          awaited.delete(e.effectiveDirective);
          if (awaited.size === 0) resolve();
        });
      });
      document.body.setAttribute('style', 'outline: 1px solid red');             // inline style
      await fetch('http://127.0.0.1:9/').catch(() => {});                         // not a listed host
      await reported;
      return window.__violations;
    })()`).then(all => all.filter(v => !harness(v)));
    expect(controls.map(v => v.directive).sort(), 'control breaches').to.deep.equal(['connect-src', 'style-src-attr']);
  });

  it('joins and renders on a page whose global CSS is hostile', async () => {
    const { strict, idStrict, idOther } = await callFrom('/test/fixtures/hostile-css-page.html', uniqueRoom('css'));
    const layout = await strict.eval<{
      host: { w: number; h: number };
      videos: Array<{ local: boolean; display: string; visibility: string; opacity: string; w: number; h: number; inside: boolean }>;
      leave: { w: number; h: number; hit: boolean; inside: boolean } | null;
      names: Array<{ text: string; fontPx: number; inside: boolean }>;
    }>(`(() => {
      const el = window.el, root = el.shadowRoot;
      root.querySelector('[part~="leave-button"]')?.scrollIntoView({ block: 'center' });
      const host = el.getBoundingClientRect();
      const inside = r => r.left >= host.left - 1 && r.top >= host.top - 1 && r.right <= host.right + 1 && r.bottom <= host.bottom + 1;
      const videos = [...root.querySelectorAll('[part~="tile"] video')].map(v => {
        const s = getComputedStyle(v), r = v.getBoundingClientRect();
        return { local: !!v.closest('[part~="local"]'), display: s.display, visibility: s.visibility, opacity: s.opacity, w: r.width, h: r.height, inside: inside(r) };
      });
      const button = root.querySelector('[part~="leave-button"]');
      let leave = null;
      if (button) {
        button.scrollIntoView({ block: 'center' }); // the page's huge text pushes the call far down
        const r = button.getBoundingClientRect();
        const hitEl = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        leave = { w: r.width, h: r.height, hit: !!hitEl && (hitEl === button || button.contains(hitEl)), inside: inside(r) };
      }
      const names = [...root.querySelectorAll('[part~="name"]')].map(n => ({ text: n.textContent.trim(), fontPx: parseFloat(getComputedStyle(n).fontSize), inside: inside(n.getBoundingClientRect()) }));
      return { host: { w: host.width, h: host.height }, videos, leave, names };
    })()`);
    const info = JSON.stringify(layout);
    expect(layout.host.w, info).to.be.greaterThan(200);
    expect(layout.host.h, info).to.be.greaterThan(150);
    expect(layout.videos.length, info).to.be.at.least(2);
    for (const v of layout.videos) {
      expect(v.display, info).to.not.equal('none');
      expect(v.visibility, info).to.equal('visible');
      expect(Number(v.opacity), info).to.be.greaterThan(0.5);
      expect(v.w, info).to.be.greaterThan(60);
      expect(v.h, info).to.be.greaterThan(40);
      expect(v.inside, `video outside the element: ${info}`).to.equal(true);
    }
    expect(layout.leave, info).to.not.equal(null);
    expect(layout.leave!.w, info).to.be.greaterThan(20);
    expect(layout.leave!.hit, `the leave button can be clicked: ${info}`).to.equal(true);
    expect(layout.leave!.inside, info).to.equal(true);
    for (const n of layout.names) {
      expect(n.fontPx, `readable, not the page's 64px: ${info}`).to.be.at.most(32);
      expect(n.inside, `name inside the element: ${info}`).to.equal(true);
    }
    // the video the visitor sees is moving, and the button does what it says
    await strict.eval(`window.__r.watchFrames(() => window.__r.remoteVideo(window.el, ${JSON.stringify(idOther)})).frames(5, 10000)`);
    await strict.eval(`(async () => {
      const b = window.el.shadowRoot.querySelector('[part~="leave-button"]');
      b.scrollIntoView({ block: 'center' });
      const r = b.getBoundingClientRect();
      window.el.shadowRoot.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2).click();
      await window.__r.stateBecomes(window.el, s => s === 'left', 5000);
    })()`);
    expect(idStrict).to.be.a('string');
  });
});
