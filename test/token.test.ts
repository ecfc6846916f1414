// The token path: <metered-call token-url> / .tokenProvider against the local server's
// GET /api/token (short-lived JWTs for its dev secret key). The server closes a session
// whose token expired with 4002; the element must already hold the next token by then,
// and the SDK's reconnect must use it — the call goes on without an `error` event.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import type { MeteredCall } from '../src/index.js';
import { TokenSource, type MeteredCallTokenRequest } from '../src/call/token.js';
import '../src/define.js';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { endCalls, openParticipant } from './helpers/participants.js';
import { stateBecomes } from './helpers/resilience.js';

const probe = instrumentPage();
const PARTICIPANT = '/test/fixtures/element-participant.html';
const TOKEN_TTL_S = 6; // long enough that the next refresh comes after the reconnect, even in Firefox

let server: LocalServer;
let turnUrl: string;
let tokenUrl: string;
const elements: MeteredCall[] = [];

/** Every answer the token endpoint gave this page: when, and the expiry it announced (ms). */
interface TokenFetch {
  at: number;
  url: string;
  status: number;
  expiresAt: number | null;
}
const tokenFetches: TokenFetch[] = [];
const nativeFetch = window.fetch.bind(window);
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const response = await nativeFetch(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes('/api/token')) {
    const body = (await response.clone().json().catch(() => null)) as { expiresAt?: number } | null;
    tokenFetches.push({ at: Date.now(), url, status: response.status, expiresAt: body?.expiresAt ? body.expiresAt * 1000 : null });
  }
  return response;
};

async function makeCall(setup: (el: MeteredCall) => void): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  el.serverUrl = server.wsUrl;
  el.turnUrl = turnUrl;
  el.room = uniqueRoom('token');
  setup(el);
  probe.watch(el);
  elements.push(el);
  await el.updateComplete;
  return el;
}

/**
 * A local server with /api/token on for this page's origin (it is off unless turned on for
 * named origins), started per describe block; each test starts with no fetches or events.
 */
function useTokenServer(): void {
  before(async () => {
    server = await startLocalServer({ tokenTtl: TOKEN_TTL_S, tokenOrigins: [location.origin] });
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
    tokenUrl = new URL('/api/token', server.turnCredentialsUrl).href;
  });
  after(async () => {
    await stopLocalServer(server);
  });
  beforeEach(() => {
    tokenFetches.length = 0;
    probe.events.length = 0;
  });
  afterEach(() => endCalls(elements));
}

describe('<metered-call> token path', function () {
  this.timeout(40000);

  useTokenServer();

  it('joins with token-url and no api-key, asking the endpoint for the room and name', async () => {
    const el = await makeCall(el => {
      el.tokenUrl = tokenUrl;
      el.name = 'Tess';
    });
    expect(el.apiKey).to.equal('');
    const joined = oneEvent(el, 'joined');
    await el.join();
    expect((await joined).detail.room).to.equal(el.room);
    expect(el.state).to.equal('joined');
    expect(tokenFetches).to.have.length(1);
    const asked = new URL(tokenFetches[0]!.url);
    expect([asked.pathname, asked.searchParams.get('room'), asked.searchParams.get('name')]).to.deep.equal(['/api/token', el.room, 'Tess']);
    expect(probe.events.filter(e => e.type === 'error')).to.deep.equal([]);
  });

  it('is configured by the token-url attribute, kebab-case, and autojoins with it', async () => {
    const room = uniqueRoom('token-attr');
    const el = await fixture<MeteredCall>(
      html`<metered-call server-url=${server.wsUrl} turn-url=${turnUrl} room=${room} token-url=${tokenUrl}></metered-call>`,
    );
    elements.push(el);
    expect(el.tokenUrl).to.equal(tokenUrl);
    expect(el.hasAttribute('token-url')).to.equal(true);
    const joined = oneEvent(el, 'joined'); // armed before autojoin is turned on
    el.autojoin = true;
    await joined;
    expect(el.state).to.equal('joined');
  });

  it('refreshes the token before it expires; after the server closes the expired session (4002) the call goes on', async () => {
    const el = await makeCall(el => (el.tokenUrl = tokenUrl));
    await el.join();
    const other = await openParticipant(PARTICIPANT, {
      'server-url': server.wsUrl,
      'turn-url': turnUrl,
      'api-key': DEV_KEY,
      room: el.room,
      autojoin: '0',
    });
    await other.eval('window.el.join()');
    await probe.waitForRemoteFrames(el, undefined, 3, 10000);

    const first = tokenFetches[0]!;
    expect(first.expiresAt, 'the endpoint announced expiresAt').to.be.a('number');
    // the server ends the session at expiry: reconnecting, then joined again
    const reconnecting = stateBecomes(el, s => s !== 'joined', (TOKEN_TTL_S + 3) * 1000);
    expect(await reconnecting).to.equal('reconnecting');
    // the next token was fetched before the first one expired
    expect(tokenFetches.length).to.be.at.least(2);
    expect(tokenFetches[1]!.at, 'refresh happened before expiry').to.be.below(first.expiresAt!);
    expect(await stateBecomes(el, s => s !== 'reconnecting', 10000)).to.equal('joined');
    // the reconnect used the prefetched token instead of asking again
    expect(tokenFetches).to.have.length(2);
    // and media flows again between the two
    await probe.waitForRemoteFrames(el, undefined, 3, 15000);
    await other.eval('window.__probe.waitForRemoteFrames(window.el, undefined, 3, 15000)');
    expect(probe.events.filter(e => e.type === 'error')).to.deep.equal([]);
  });

  it('calls the tokenProvider property with room, name and a signal; it wins over token-url', async () => {
    const calls: Omit<MeteredCallTokenRequest, 'signal'>[] = [];
    const el = await makeCall(el => {
      el.tokenUrl = 'http://127.0.0.1:1/never-used';
      el.name = 'Pat';
      el.tokenProvider = async ({ room, name, signal }) => {
        expect(signal).to.be.instanceOf(AbortSignal);
        calls.push({ room, name });
        const response = await fetch(`${tokenUrl}?room=${encodeURIComponent(room)}`, { signal });
        const { token } = (await response.json()) as { token: string };
        return token; // a bare JWT: the element reads `exp` from it
      };
    });
    await el.join();
    expect(el.state).to.equal('joined');
    expect(calls).to.deep.equal([{ room: el.room, name: 'Pat' }]);
    expect(tokenFetches.map(f => new URL(f.url).pathname)).to.deep.equal(['/api/token']);
  });

  it('reports token-failed (fatal, does not bubble) when the endpoint refuses, and shows it', async () => {
    const el = await makeCall(el => (el.tokenUrl = new URL('/api/token-nope', tokenUrl).href));
    const failed = oneEvent(el, 'error');
    const rejection = await el.join().then(
      () => null,
      (err: unknown) => err,
    );
    const { detail, bubbles } = await failed;
    expect([detail.code, detail.fatal, bubbles]).to.deep.equal(['token-failed', true, false]);
    expect(detail.message).to.contain('HTTP 404');
    expect((rejection as { code?: string })?.code).to.equal('token-failed');
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.querySelector('[part~="error"]')?.textContent).to.contain('token-failed');
  });

  it('reports token-failed when the tokenProvider throws or answers without a token', async () => {
    for (const provider of [
      async () => {
        throw new Error('session expired, log in again');
      },
      async () => ({ expiresAt: 1 }) as unknown as string,
    ]) {
      const el = await makeCall(el => (el.tokenProvider = provider));
      const failed = oneEvent(el, 'error');
      await el.join().catch(() => {});
      expect((await failed).detail.code).to.equal('token-failed');
    }
  });

  it('needs api-key or token-url: with neither it reports invalid-config naming both', async () => {
    const el = await makeCall(() => {});
    const failed = oneEvent(el, 'error');
    await el.join().catch(() => {});
    const { detail } = await failed;
    expect(detail.code).to.equal('invalid-config');
    expect(detail.message).to.contain('token-url');
    expect(probe.events.filter(e => e.type === 'error')).to.have.length(1);
  });
});

/** An unsigned JWT-shaped string with these claims: the client never checks signatures (the server does). */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}.sig`;
}
const nowS = () => Math.floor(Date.now() / 1000);

describe('token client defences (issue 16.10)', function () {
  this.timeout(40000);

  useTokenServer();

  it('a mid-call 4002 makes the next connect fetch a new token, even when the endpoint said it lasts longer', async () => {
    let calls = 0;
    const el = await makeCall(el => {
      // the JWT lives 3 s; the endpoint claims 10 minutes (a wrong expiresAt, or a browser clock behind the server's)
      el.tokenProvider = async ({ room, signal }) => {
        calls++;
        const response = await fetch(`${tokenUrl}?room=${encodeURIComponent(room)}&ttl=3`, { signal });
        const { token } = (await response.json()) as { token: string };
        return { token, expiresAt: nowS() + 600 };
      };
    });
    await el.join();
    // the server closes the session at the JWT's expiry (4002): reconnecting, then joined again with a new token
    expect(await stateBecomes(el, s => s !== 'joined', 8000)).to.equal('reconnecting');
    expect(await stateBecomes(el, s => s !== 'reconnecting', 10000)).to.equal('joined');
    expect(calls, 'a second token was fetched for the reconnect').to.be.at.least(2);
    expect(probe.events.filter(e => e.type === 'error')).to.deep.equal([]);
  });

  it('a failed refresh keeps the token it meant to replace while that one is still valid', async () => {
    const first = fakeJwt({ exp: nowS() + 4 });
    let calls = 0;
    let refreshTried: () => void = () => {};
    const refreshed = new Promise<void>(r => (refreshTried = r));
    const source = new TokenSource({
      room: 'r',
      name: '',
      tokenProvider: () => {
        calls++;
        if (calls === 1) return first;
        refreshTried();
        throw new Error('token service down');
      },
    });
    try {
      await source.prime();
      await refreshed; // the timer's refresh, a little before expiry, failed
      // the SDK asks for a token now (a reconnect): the held one still works, so it gets that one
      expect(await source.provider()).to.equal(first);
    } finally {
      source.stop();
    }
  });

  it('an endpoint that keeps answering the same nearly-expired token is asked at a bounded rate', async () => {
    const expiresAt = nowS() + 3;
    const token = fakeJwt({ exp: expiresAt });
    let calls = 0;
    const source = new TokenSource({ room: 'r', name: '', tokenProvider: () => (calls++, { token, expiresAt }) });
    try {
      await source.prime();
      // observation window: the token's whole remaining life (what is measured is how often it is refetched in it)
      await new Promise(r => setTimeout(r, expiresAt * 1000 - Date.now() + 500));
      expect(calls, 'the first fetch and a refresh or two, not a 0 ms loop').to.be.at.most(3);
    } finally {
      source.stop();
    }
  });

  it('a browser clock far ahead of the server: the token is judged on the issuer\'s clock (iat), then the welcome\'s serverTime', async () => {
    // the issuer's clock is 2 minutes behind ours: by our clock this token expired a minute ago
    const iat = nowS() - 120;
    const token = fakeJwt({ iat, exp: iat + 60 });
    const second = fakeJwt({ iat, exp: iat + 60, n: 2 });
    let calls = 0;
    const source = new TokenSource({ room: 'r', name: '', tokenProvider: () => (++calls === 1 ? token : second) });
    try {
      await source.prime();
      expect(await source.provider()).to.equal(token);
      expect(source.skewMs).to.be.within(-126_000, -114_000);
      // a welcome measures the offset exactly (a stand-in socket: the browser's clock cannot be moved here)
      const socket = new EventTarget();
      source.watch(socket, `ws://127.0.0.1:1/v1?token=${encodeURIComponent(token)}`);
      const serverTime = Date.now() - 90_000;
      socket.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ type: 'welcome', peerId: 'p', expiresAt: iat + 60, serverTime, maxMessageSize: 65536 }) }));
      expect(source.skewMs).to.be.within(-91_000, -89_000);
      // and a 4002 on that welcomed socket: that token is done, whatever the clocks say
      socket.dispatchEvent(new CloseEvent('close', { code: 4002 }));
      expect(await source.provider()).to.equal(second);
      expect(calls).to.equal(2);
    } finally {
      source.stop();
    }
  });
});
