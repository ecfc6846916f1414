// The built file, as users load it: dist/metered-call.js by plain <script> tags (classic
// and module, both on one page) in a page with no build step, calling an element built
// from the sources in another browser context. Run `npm run build` (or `rollup -c`) first;
// `npm run test:browser` does it (pretest:browser).
import { expect } from '@open-wc/testing';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant } from './helpers/participants.js';
import { elementRemoteFrames, elementRemoteNames } from './helpers/pages.js';
import { waitForFrames, WAIT_FOR_FRAMES_SOURCE } from './helpers/frames.js';

let server: LocalServer;
let turnUrl: string;

describe('dist/metered-call.js from a <script> tag', function () {
  this.timeout(40000);

  before(async () => {
    const response = await fetch('/dist/metered-call.js', { cache: 'no-store' });
    if (!response.ok) throw new Error('dist/metered-call.js is missing: run `npm run build` first');
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  it('is one minified, self-contained file with a production Lit, and registers on load, quietly when loaded twice', async () => {
    const source = await (await fetch('/dist/metered-call.js', { cache: 'no-store' })).text();
    expect(source, 'no imports left').not.to.match(/^\s*import[\s{*]/m);
    // minified: no comments, long lines (template literals keep some newlines)
    expect(source, 'no doc comments').not.to.contain('/**');
    expect(source.length / source.split('\n').length, 'characters per line').to.be.greaterThan(1000);
    expect(source, 'Lit production build').not.to.contain('Lit is in dev mode');
    const page = await openParticipant('/test/fixtures/bundle-page.html', {});
    const facts = await page.eval<Record<string, unknown>>(`customElements.whenDefined('metered-call').then(() => ({
      registered: customElements.get('metered-call') === window.MeteredCall,
      upgraded: window.el instanceof window.MeteredCall,
      state: window.el.getAttribute('state'),
      joinButton: !!window.el.shadowRoot.querySelector('[part~="join-button"]'),
    }))`);
    expect(facts).to.deep.equal({ registered: true, upgraded: true, state: 'idle', joinButton: true });
    const logs = await page.logs();
    expect(logs.filter(l => /^(error|warn|pageerror)/.test(l)), 'no errors or warnings, also for the second copy').to.deep.equal([]);
  });

  it('calls an element built from the sources: video and names both ways', async () => {
    const room = uniqueRoom('bundle');
    const bundled = await openParticipant('/test/fixtures/bundle-page.html', { 'server-url': server.wsUrl, 'turn-url': turnUrl, room });
    const source = await openParticipant('/test/fixtures/element-participant.html', {
      'server-url': server.wsUrl,
      'turn-url': turnUrl,
      'api-key': DEV_KEY,
      room,
      name: 'Sources',
      autojoin: '0',
    });
    // the visitor clicks Join on the CMS page
    await bundled.eval(`window.el.shadowRoot.querySelector('[part~="join-button"]').click(), new Promise(r => window.el.addEventListener('joined', r, { once: true }))`);
    await source.eval('window.el.join()');
    const bundledId = await bundled.eval<string>('window.el.peerId');
    const sourceId = await source.eval<string>('window.el.peerId');
    await source.eval(elementRemoteFrames([bundledId], 3, 15000));
    await bundled.eval(`(async () => {
      const waitForFrames = ${WAIT_FOR_FRAMES_SOURCE};
      const find = () => window.el.shadowRoot.querySelector('[part~="remote"][data-peer-id=${JSON.stringify(sourceId)}] video');
      for (const t0 = performance.now(); !(find() && find().srcObject) && performance.now() - t0 < 15000; ) await new Promise(r => requestAnimationFrame(r));
      await waitForFrames(find(), 3, 15000);
    })()`);
    expect((await source.eval<Record<string, string>>(elementRemoteNames))[bundledId]).to.equal('Bundle');
    const nameOnBundle = await bundled.eval<string>(`new Promise(r => { const f = () => {
      const n = window.el.shadowRoot.querySelector('[part~="remote"][data-peer-id=${JSON.stringify(sourceId)}] [part~="name"]');
      n && n.textContent.trim() === 'Sources' ? r(n.textContent.trim()) : requestAnimationFrame(f); }; f(); })`);
    expect(nameOnBundle).to.equal('Sources');
    // the call's messages survive the bundle's minifier (its shortened member names): a hand raised
    // with the bundled element's button reaches the element built from the sources, and one back
    const listenForHand = `window.heard = new Promise(r => window.el.addEventListener('hand-raised', e =>
      e.detail.peerId !== window.el.peerId && r({ peerId: e.detail.peerId, raised: e.detail.raised }))), 0`;
    await source.eval(listenForHand);
    await bundled.eval(`window.el.shadowRoot.querySelector('[part~="hand-button"]').click()`);
    expect(await source.eval('window.heard')).to.deep.equal({ peerId: bundledId, raised: true });
    await bundled.eval(listenForHand);
    await source.eval(`window.el.shadowRoot.querySelector('[part~="hand-button"]').click()`);
    expect(await bundled.eval('window.heard')).to.deep.equal({ peerId: sourceId, raised: true });
    void waitForFrames; // (the helper is shipped to the page as source text above)
  });
});
