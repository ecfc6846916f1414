// <metered-call> in real Chromium against the real local server and the real SDK:
// configuration, state, join/leave, a two-context call, receive-only, error paths.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { DEV_KEY, serverStats, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { endCalls, openParticipant, type Participant } from './helpers/participants.js';

const probe = instrumentPage();
const PARTICIPANT = '/test/fixtures/element-participant.html';

let server: LocalServer;
let turnUrl: string;
const elements: MeteredCall[] = [];

async function makeCall(attrs: Record<string, string | boolean> = {}): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  el.serverUrl = server.wsUrl;
  el.turnUrl = turnUrl;
  el.apiKey = DEV_KEY;
  el.room = uniqueRoom();
  Object.assign(el, attrs);
  probe.watch(el);
  elements.push(el);
  await el.updateComplete;
  return el;
}

async function joinParticipant(room: string, name: string): Promise<{ p: Participant; peerId: string }> {
  const p = await openParticipant(PARTICIPANT, {
    'server-url': server.wsUrl,
    'turn-url': turnUrl,
    'api-key': DEV_KEY,
    room,
    name,
    autojoin: '0',
  });
  await p.eval('window.el.join()');
  return { p, peerId: await p.eval<string>('window.el.peerId') };
}

const shadow = (el: MeteredCall) => el.shadowRoot!;
const part = (el: MeteredCall, name: string) => shadow(el).querySelector<HTMLElement>(`[part~="${name}"]`);

describe('<metered-call>', function () {
  this.timeout(40000);

  before(async () => {
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(() => endCalls(elements));

  describe('configuration', () => {
    it('is registered, and maps each attribute to its property without reflecting it back', async () => {
      expect(customElements.get('metered-call')).to.equal(MeteredCall);
      const el = await fixture<MeteredCall>(html`<metered-call
        room="standup"
        api-key="pk_live_x"
        turn-app="myapp"
        turn-api-key="tk"
        name="Ana"
        server-url="ws://127.0.0.1:1"
        turn-url="http://127.0.0.1:1/t"
      ></metered-call>`);
      expect([el.room, el.apiKey, el.turnApp, el.turnApiKey, el.name, el.serverUrl, el.turnUrl, el.autojoin]).to.deep.equal([
        'standup', 'pk_live_x', 'myapp', 'tk', 'Ana', 'ws://127.0.0.1:1', 'http://127.0.0.1:1/t', false,
      ]);
      el.setAttribute('autojoin', '');
      expect(el.autojoin).to.equal(true);
      el.autojoin = false;
      el.apiKey = 'pk_live_other';
      await el.updateComplete;
      expect(el.hasAttribute('autojoin'), 'autojoin is input only').to.equal(true);
      expect(el.getAttribute('api-key'), 'api-key is input only').to.equal('pk_live_x');
      expect(el.getAttribute('state')).to.equal('idle');
      expect(el.state).to.equal('idle');
    });

    it('has a read-only state', async () => {
      const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
      expect(() => {
        (el as unknown as { state: string }).state = 'joined';
      }).to.throw(TypeError);
      expect(el.state).to.equal('idle');
    });

    it('define() is a no-op for the same class, warns once for another version, and never throws', () => {
      const warnings: unknown[][] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => warnings.push(args);
      try {
        MeteredCall.define();
        expect(warnings).to.have.length(0);
        class Newer extends MeteredCall {
          static override readonly version = '9.9.9';
        }
        Newer.define();
        Newer.define();
        expect(warnings).to.have.length(1);
        expect(String(warnings[0]![0])).to.contain('9.9.9').and.contain(MeteredCall.version);
        expect(() => MeteredCall.define('not a valid name')).not.to.throw();
        // the same constructor under a second tag works through a subclass
        const tag = `metered-call-${Math.random().toString(36).slice(2, 8)}`;
        MeteredCall.define(tag);
        expect(customElements.get(tag)).to.be.a('function').and.not.equal(MeteredCall);
        expect(document.createElement(tag)).to.be.instanceOf(MeteredCall);
      } finally {
        console.warn = warn;
      }
    });
  });

  describe('joining and leaving', () => {
    it('waits for its join button without autojoin, then goes idle → joining → joined and fires joined', async () => {
      const el = await makeCall({ name: 'Solo' });
      expect(el.state).to.equal('idle');
      expect(part(el, 'stage'), 'no call before joining').to.equal(null);
      const button = part(el, 'join-button') as HTMLButtonElement;
      expect(button.textContent?.trim()).to.equal('Join call');

      const states: string[] = [];
      const observer = new MutationObserver(() => states.push(el.getAttribute('state')!));
      observer.observe(el, { attributes: true, attributeFilter: ['state'] });
      const joined = oneEvent(el, 'joined');
      button.click();
      const event = await joined;
      observer.disconnect();

      expect(states).to.deep.equal(['joining', 'joined']);
      expect(event.detail).to.deep.equal({ peerId: el.peerId, room: el.room });
      expect(el.peerId).to.be.a('string').and.not.empty;
      expect(event.bubbles && event.composed).to.equal(true);
      await el.updateComplete;
      expect(part(el, 'stage')).to.exist;
      expect(part(el, 'local')?.querySelector('video')?.srcObject, 'self-view').to.be.instanceOf(MediaStream);
      expect(part(el, 'leave-button')).to.exist;
    });

    it('join() twice is one join; leave() twice is one leave; join() when joined resolves at once', async () => {
      const el = await makeCall();
      let leftEvents = 0;
      el.addEventListener('left', () => leftEvents++);
      const first = el.join();
      expect(el.join()).to.equal(first);
      await first;
      await el.join();
      expect(el.state).to.equal('joined');
      const left = oneEvent(el, 'left');
      const leaving = el.leave();
      expect(el.leave()).to.equal(leaving);
      await leaving;
      expect((await left).detail).to.deep.equal({});
      expect(el.state).to.equal('left');
      expect(el.getAttribute('state')).to.equal('left');
      await el.leave();
      expect(leftEvents).to.equal(1);
    });

    it('leave() during join() cancels the join and leaves nothing running', async () => {
      const el = await makeCall();
      let errors = 0;
      el.addEventListener('error', () => errors++);
      const before = { pcs: probe.livePeerConnections(), tracks: probe.liveTracks() };
      const joining = el.join();
      expect(el.state).to.equal('joining');
      await el.leave();
      const outcome = await joining.then(
        () => 'resolved',
        (err: Error) => err.name,
      );
      expect(outcome).to.equal('AbortError');
      expect(el.state).to.equal('left');
      expect(errors, 'a cancelled join is not an error').to.equal(0);
      expect(probe.livePeerConnections()).to.equal(before.pcs);
      expect(probe.liveTracks()).to.equal(before.tracks);
      // and the element can join again right away
      await el.join();
      expect(el.state).to.equal('joined');
    });

    it('autojoins once it has a room and an api-key', async () => {
      const el = await fixture<MeteredCall>(html`<metered-call autojoin></metered-call>`);
      elements.push(el);
      el.serverUrl = server.wsUrl;
      el.turnUrl = turnUrl;
      el.apiKey = DEV_KEY;
      await el.updateComplete;
      expect(el.state, 'no room yet').to.equal('idle');
      const joined = oneEvent(el, 'joined');
      el.room = uniqueRoom();
      expect((await joined).detail.room).to.equal(el.room);
    });

    it('moves the call to the new room when room changes while joined', async () => {
      const el = await makeCall();
      await el.join();
      const first = el.peerId;
      const next = uniqueRoom('moved');
      const left = oneEvent(el, 'left');
      const joined = oneEvent(el, 'joined');
      el.room = next;
      await left;
      expect((await joined).detail.room).to.equal(next);
      expect(el.peerId).to.not.equal(first);
      expect(el.state).to.equal('joined');
    });

    it('leaves when removed from the page, but not when moved within it', async () => {
      const el = await makeCall();
      await el.join();
      const other = document.createElement('div');
      document.body.append(other);
      other.append(el); // a move: disconnected and connected in one task
      await el.updateComplete;
      expect(el.state).to.equal('joined');
      const left = oneEvent(el, 'left');
      other.remove();
      await left;
      expect(el.state).to.equal('left');
      expect(probe.liveTracks(), 'camera released').to.equal(0);
      expect(probe.livePeerConnections()).to.equal(0);
    });
  });

  describe('documentation', () => {
    it('documents in custom-elements.json every part it renders (idle, in a call, error)', async () => {
      const manifest = await (await fetch('/custom-elements.json')).json();
      const decl = manifest.modules.flatMap((m: { declarations?: unknown[] }) => m.declarations ?? []).find((d: { tagName?: string }) => d.tagName === 'metered-call');
      const documented = new Set<string>(decl.cssParts.map((p: { name: string }) => p.name));
      const rendered = new Set<string>();
      const collect = (el: MeteredCall) =>
        el.shadowRoot!.querySelectorAll('[part]').forEach(n => n.getAttribute('part')!.split(/\s+/).forEach(t => rendered.add(t)));
      const el = await makeCall({ name: 'Parts' });
      collect(el); // idle
      await el.join();
      const { p } = await joinParticipant(el.room, 'Other');
      await probe.waitForRemoteFrames(el, undefined, 1, 15000);
      await el.updateComplete;
      collect(el); // in a call
      await p.close();
      await el.leave();
      const failing = await makeCall({ apiKey: 'pk_live_nope' });
      await failing.join().catch(() => {});
      await failing.updateComplete;
      collect(failing); // error
      expect([...rendered].filter(t => !documented.has(t)), 'rendered but undocumented parts').to.deep.equal([]);
    });
  });

  describe('a call between two browser contexts', () => {
    it('shows each side the other’s video and name, removes the tile on peer-left and tears down completely', async () => {
      // every event but `error` reaches the document (bubbles, composed)
      const onDocument: Event[] = [];
      const record = (e: Event) => onDocument.push(e);
      const types = ['joined', 'peer-joined', 'introduce', 'peer-left', 'left'] as const;
      for (const t of types) document.addEventListener(t, record);
      const room = uniqueRoom('call');
      const el = await makeCall({ room, name: '  Ana\u202e  ' });
      await el.join();
      const peerJoined = oneEvent(el, 'peer-joined');
      const introduced = oneEvent(el, 'introduce');
      const { p: bruno, peerId: brunoId } = await joinParticipant(room, 'Bruno');

      expect((await peerJoined).detail).to.deep.equal({ peerId: brunoId });
      expect((await introduced).detail).to.deep.equal({ peerId: brunoId, username: 'Bruno' });
      // frames decode on both sides
      await probe.waitForRemoteFrames(el, [brunoId], 3, 15000);
      await bruno.eval(`window.__probe.waitForRemoteFrames(window.el, ${JSON.stringify([el.peerId])}, 3, 15000)`);
      // names both ways, cleaned (the bidi override is gone), as text
      await el.updateComplete;
      expect(probe.remoteNames(el)).to.deep.equal({ [brunoId]: 'Bruno' });
      const seenByBruno = await bruno.eval<Record<string, string>>('window.__probe.remoteNames(window.el)');
      expect(seenByBruno).to.deep.equal({ [el.peerId!]: 'Ana' });
      expect(part(el, 'local')?.querySelector('[part~="name"]')?.textContent).to.equal('Ana (you)');
      expect(probe.livePeerConnections()).to.equal(1);

      // Bruno leaves: his tile goes
      const peerLeft = oneEvent(el, 'peer-left');
      await bruno.eval('window.el.leave()');
      expect(await bruno.eval('window.__probe.liveTracks() + window.__probe.livePeerConnections()'), 'Bruno torn down').to.equal(0);
      expect((await peerLeft).detail).to.deep.equal({ peerId: brunoId });
      await el.updateComplete;
      expect(Object.keys(probe.remoteVideos(el))).to.deep.equal([]);
      expect(probe.livePeerConnections(), 'the connection to Bruno is closed').to.equal(0);

      await el.leave();
      expect(probe.liveTracks(), 'every local track stopped').to.equal(0);
      expect(probe.livePeerConnections()).to.equal(0);
      for (const t of types) document.removeEventListener(t, record);
      expect([...new Set(onDocument.map(e => e.type))].sort()).to.deep.equal([...types].sort());
      expect(onDocument.every(e => e.bubbles && e.composed && e instanceof CustomEvent && typeof (e as CustomEvent).detail === 'object')).to.equal(true);
      // the server sees the socket close a moment later: no event reaches this page for that
      await waitUntil(async () => (await serverStats(server)).openSockets === 0, 'signalling sockets still open', { timeout: 3000 });
    });
  });

  describe('media problems', () => {
    it('joins receive-only when camera and microphone are refused, says why, and still receives', async () => {
      const devices = navigator.mediaDevices;
      const real = devices.getUserMedia;
      // the fake: what the browser does when the visitor refuses access
      devices.getUserMedia = async function fakeDeniedGetUserMedia() {
        throw new DOMException('Permission denied (fake)', 'NotAllowedError');
      };
      try {
        const room = uniqueRoom('recvonly');
        const el = await makeCall({ room, name: 'Watcher' });
        const notice = oneEvent(el, 'error');
        await el.join();
        const { detail } = await notice;
        expect(detail.code).to.equal('media-denied');
        expect(detail.fatal).to.equal(false);
        expect(el.state).to.equal('joined');
        await el.updateComplete;
        expect(part(el, 'notice')?.textContent).to.contain('blocked');
        expect(part(el, 'local')?.querySelector('video'), 'no self-view').to.equal(null);
        expect(part(el, 'local')?.querySelector('[part~="avatar"]')).to.exist;

        const { p: sender, peerId } = await joinParticipant(room, 'Sender');
        await probe.waitForRemoteFrames(el, [peerId], 3, 15000);
        // the sender sees our tile (an avatar) with our name
        await sender.eval(`new Promise(r => { const f = () => window.__probe.remoteNames(window.el)[${JSON.stringify(el.peerId)}] === 'Watcher' ? r() : requestAnimationFrame(f); f(); })`);
      } finally {
        devices.getUserMedia = real;
      }
    });
  });

  describe('errors', () => {
    const expectFailure = async (el: MeteredCall, code: string) => {
      const onDocument: Event[] = [];
      const record = (e: Event) => onDocument.push(e);
      document.addEventListener('error', record);
      const failed = oneEvent(el, 'error');
      const rejection = await el.join().then(
        () => null,
        (err: { code?: string }) => err,
      );
      document.removeEventListener('error', record);
      const event = await failed;
      expect(event.detail.code).to.equal(code);
      expect(event.detail.fatal).to.equal(true);
      expect(event.bubbles, 'error does not bubble').to.equal(false);
      expect(onDocument).to.have.length(0);
      expect(rejection?.code, 'join() rejects with the same error').to.equal(code);
      expect(el.state).to.equal('error');
      expect(el.getAttribute('state')).to.equal('error');
      await el.updateComplete;
      expect(part(el, 'error')?.textContent).to.contain(code);
      expect(probe.liveTracks(), 'no camera left on after a failure').to.equal(0);
      return event.detail;
    };

    it('reports origin-not-allowed when the key does not allow this origin (Metered close 4001)', async () => {
      const strict = await startLocalServer({
        keys: [{ key: 'pk_live_strict', actions: ['subscribe', 'publish', 'presence', 'send'], allowedOrigins: ['https://shop.example'] }],
      });
      try {
        const el = await makeCall({ serverUrl: strict.wsUrl, apiKey: 'pk_live_strict', turnUrl: '' });
        const detail = await expectFailure(el, 'origin-not-allowed');
        expect(detail.message).to.contain(location.origin).and.contain('allowed origins');
      } finally {
        await stopLocalServer(strict);
      }
    });

    it('reports invalid-key for a key the server does not know', async () => {
      const el = await makeCall({ apiKey: 'pk_live_nope' });
      await expectFailure(el, 'invalid-key');
    });

    it('reports turn-credentials-failed when the TURN key is refused', async () => {
      const el = await makeCall({ turnUrl: turnUrl.replace(/apiKey=[^&]*/, 'apiKey=wrong') });
      const detail = await expectFailure(el, 'turn-credentials-failed');
      expect(detail.message).to.contain('401');
    });

    it('reports invalid-config without a room, and can try again once fixed', async () => {
      const el = await makeCall({ room: '' });
      await expectFailure(el, 'invalid-config');
      el.room = uniqueRoom();
      await el.updateComplete;
      (part(el, 'join-button') as HTMLButtonElement).click();
      await oneEvent(el, 'joined');
      expect(el.state).to.equal('joined');
    });
  });
});
