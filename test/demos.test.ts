// The React 19 and Vue 3 demo apps (demo/react, demo/vue), built by Vite
// (`npm run build:demos`), in real Chromium: a React visitor and a Vue visitor in one call.
// What custom-elements-everywhere checks, for our element: the frameworks pass data as
// properties (a function, tokenProvider, can only be a property; no stray camelCase
// attributes), and declaratively listen to every event, lowercase and kebab-case names.
import { expect } from '@open-wc/testing';
import { WAIT_FOR_FRAMES_SOURCE } from './helpers/frames.js';
import { startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, isFirstBrowserOfRun, openParticipant, type Participant, skipBecause } from './helpers/participants.js';
import { EVENT_NAMES } from '../src/events.js';

const REACT = '/demo/react/dist/index.html';
const VUE = '/demo/vue/dist/index.html';

/** Resolves with the app's log entry (what the framework delivered to its handler) once `type` arrives. */
const logged = (type: string, where = '() => true', timeoutMs = 15000) => `new Promise((resolve, reject) => {
  const t0 = Date.now();
  const poll = () => {
    const hit = window.demo && window.demo.log.find(e => e.type === ${JSON.stringify(type)} && (${where})(e.detail));
    if (hit) resolve(JSON.parse(JSON.stringify(hit)));
    else if (Date.now() - t0 > ${timeoutMs}) reject(new Error('the app logged no ' + ${JSON.stringify(type)} + ': ' + JSON.stringify(window.demo && window.demo.log)));
    else requestAnimationFrame(poll);
  };
  poll();
})`;

const remoteFrames = `(async () => {
  const waitForFrames = ${WAIT_FOR_FRAMES_SOURCE};
  const el = window.demo.element;
  const t0 = Date.now();
  for (;;) {
    const video = el.shadowRoot.querySelector('[part~="remote"] video');
    if (video && video.srcObject) return waitForFrames(video, 3, 15000).then(() => true);
    if (Date.now() - t0 > 15000) throw new Error('no remote video');
    await new Promise(r => requestAnimationFrame(r));
  }
})()`;

/** How the framework set the configuration: as properties, not as attributes. */
const wiring = `(() => {
  const el = window.demo.element;
  return {
    tokenProvider: typeof el.tokenProvider,
    serverUrl: el.serverUrl,
    room: el.room,
    attributes: el.getAttributeNames().filter(n => n !== 'state').sort(),
    upgraded: el.shadowRoot !== null && customElements.get('metered-call') === el.constructor,
  };
})()`;

describe('React 19 and Vue 3 demo apps (built with Vite)', function () {
  this.timeout(90000);
  let server: LocalServer;

  before(async function () {
    // both apps open in Chromium; once per run is enough
    if (!(await isFirstBrowserOfRun())) skipBecause(this, 'both apps open in Chromium: run once, from the first browser');
    for (const page of [REACT, VUE]) {
      expect((await fetch(page)).ok, `${page} is missing: run npm run build && npm run build:demos`).to.equal(true);
    }
    // the apps fetch their tokens from the server's /api/token, which is off unless enabled for their origin
    server = await startLocalServer({ tokenOrigins: [location.origin] });
  });
  after(async () => {
    await closeAllParticipants();
    if (server) await stopLocalServer(server);
  });

  it('a React visitor and a Vue visitor call each other; both apps set properties and receive every event', async () => {
    const room = uniqueRoom('frameworks');
    const react: Participant = await openParticipant(REACT, { server: server.wsUrl, room, name: 'Ria' }, { browser: 'chromium' });
    const vue: Participant = await openParticipant(VUE, { server: server.wsUrl, room, name: 'Vic' }, { browser: 'chromium' });

    // nothing auto-joins: the apps join through the element's method
    // React 19 sets every prop the element has as a property; Vue does so for bindings by
    // property name (:room, :tokenProvider) and sets kebab-case bindings (:server-url) as
    // attributes, which the element maps to their properties
    for (const [app, attributes] of [[react, []], [vue, ['server-url', 'turn-url']]] as const) {
      const w = await app.eval<Record<string, unknown>>(wiring);
      expect(w).to.deep.equal({ tokenProvider: 'function', serverUrl: server.wsUrl, room, attributes, upgraded: true });
    }
    await Promise.all([react.eval('window.demo.element.join()'), vue.eval('window.demo.element.join()')]);
    expect(await react.eval(logged('joined'))).to.deep.include({ type: 'joined' });
    expect(await vue.eval(logged('joined'))).to.deep.include({ type: 'joined' });
    expect(await react.eval(logged('peer-joined'))).to.have.property('detail');
    expect(await vue.eval(logged('peer-joined'))).to.have.property('detail');
    await react.eval(remoteFrames);
    await vue.eval(remoteFrames);
    expect(await react.eval(logged('introduce', 'd => d.username === "Vic"'))).to.have.property('type', 'introduce');
    expect(await vue.eval(logged('introduce', 'd => d.username === "Ria"'))).to.have.property('type', 'introduce');

    // framework state → property → the other side hears the new name
    await react.eval('window.demo.setName("Ria R.")');
    expect(await vue.eval(logged('introduce', 'd => d.username === "Ria R."'))).to.have.property('type', 'introduce');
    expect(await react.eval('window.demo.element.name')).to.equal('Ria R.');

    // chat through the element's method: the sender hears its own message, the other side the text and name
    await react.eval('window.demo.element.sendChat("hello from React")');
    expect(await react.eval(logged('chat-message', 'd => d.self && d.text === "hello from React"'))).to.have.property('type', 'chat-message');
    const heard = await vue.eval<{ detail: { username: string; self: boolean } }>(logged('chat-message', 'd => d.text === "hello from React"'));
    expect(heard.detail).to.deep.include({ username: 'Ria R.', self: false });

    // a raised hand, a reaction (the element's own buttons), and the measured connection quality
    await react.eval(`window.demo.element.shadowRoot.querySelector('[part~="hand-button"]').click()`);
    expect(await vue.eval(logged('hand-raised', 'd => d.raised && !d.self'))).to.have.property('type', 'hand-raised');
    await vue.eval(`(async () => {
      const root = window.demo.element.shadowRoot;
      root.querySelector('[part~="reactions-button"]').click();
      await window.demo.element.updateComplete;
      root.querySelector('[data-reaction="clap"]').click();
    })()`);
    expect(await react.eval(logged('reaction', 'd => d.reaction === "clap" && !d.self'))).to.have.property('type', 'reaction');
    for (const app of [react, vue]) expect(await app.eval(logged('quality-change'))).to.have.property('type', 'quality-change');

    // each side sees the other leave: Vue leaves, comes back, then React leaves
    await vue.eval('window.demo.element.leave()');
    await vue.eval(logged('left'));
    await react.eval(logged('peer-left'));
    await vue.eval('window.demo.element.join()');
    const back = await vue.eval<string>('window.demo.element.peerId');
    await react.eval(logged('peer-joined', `d => d.peerId === ${JSON.stringify(back)}`));
    await react.eval('window.demo.element.leave()');
    await react.eval(logged('left'));
    await vue.eval(logged('peer-left'));
    await vue.eval('window.demo.element.leave()');

    // an empty room through framework state → the element's `error` (does not bubble, still heard)
    for (const app of [react, vue]) {
      await app.eval('window.demo.setRoom("")');
      await app.eval('new Promise(r => requestAnimationFrame(() => r()))'); // the framework's render
      await app.eval('window.demo.element.join().catch(() => null)');
      expect(await app.eval(logged('error', 'd => d.code === "invalid-config"'))).to.have.property('type', 'error');
      const types = await app.eval<string[]>('window.demo.log.map(e => e.type)');
      expect([...new Set(types)].sort(), `${app.id} heard every event`).to.deep.equal([...EVENT_NAMES].sort());
    }
  });
});
