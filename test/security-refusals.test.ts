// Terminal refusals: every way Metered (here: the local server with the same close codes)
// says "no" must end in state="error", an `error` event with the stable code, a message on
// screen that tells the site owner the fix — and no reconnect storm. The server counts
// every connection it accepts; after the refusal the count must not move while a storm
// would have produced several attempts (the element's reconnect backoff is shortened to
// 100–200 ms here, so the observation window is 8× the longest delay).
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { serverStats, uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls } from './helpers/participants.js';
import { stateBecomes, withDeadline } from './helpers/resilience.js';

const ALL = ['subscribe', 'publish', 'presence', 'send'];
const KEYS = [
  { key: 'pk_live_local', actions: ALL },
  { key: 'pk_live_origin', actions: ALL, allowedOrigins: ['https://calls.example.com'] },
  { key: 'pk_live_rooms', actions: ALL, channels: ['allowed-*'] },
  { key: 'pk_live_slow', actions: ALL, limits: { messagesPerSecond: 1 } },
  { key: 'sk_live_local', kind: 'secret', actions: ALL },
];
const RESILIENCE = { reconnectInitialDelayMs: 100, reconnectMaxDelayMs: 200 };
const OBSERVE_MS = 8 * RESILIENCE.reconnectMaxDelayMs;

const server = useLocalServer({ keys: KEYS, turn: false });
const elements: MeteredCall[] = [];

async function makeCall(props: Partial<MeteredCall>): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  Object.assign(el, { serverUrl: server.wsUrl, room: uniqueRoom('refused'), resilience: RESILIENCE, ...props });
  elements.push(el);
  await el.updateComplete;
  return el;
}

/** Fails as soon as the server accepts another connection within `ms`; returns the final count. */
async function noNewConnections(since: number, ms: number): Promise<number> {
  const end = performance.now() + ms;
  for (;;) {
    const { connectionsAccepted } = await serverStats(server);
    expect(connectionsAccepted, 'a reconnect after a terminal refusal').to.equal(since);
    if (performance.now() >= end) return connectionsAccepted;
    await new Promise(r => requestAnimationFrame(r));
  }
}

/** Runs `start`, expects state="error" with `code`, a fix-it message on screen, and at most `attempts` connections. */
async function expectRefusal(el: MeteredCall, start: () => unknown, code: string, fix: RegExp, attempts: number): Promise<void> {
  const before = (await serverStats(server)).connectionsAccepted;
  const failed = oneEvent(el, 'error');
  start();
  const { detail } = await withDeadline(failed, 15000, () => `error event (state "${el.state}")`);
  expect(detail.code).to.equal(code);
  expect(detail.fatal, 'the call is over').to.equal(true);
  expect(detail.message, 'the event tells the fix').to.match(fix);
  await stateBecomes(el, s => s === 'error', 5000);
  expect(el.getAttribute('state')).to.equal('error');
  await el.updateComplete;
  const shown = el.shadowRoot!.querySelector('[part~="error"]')?.textContent ?? '';
  expect(shown, 'the fix is on screen').to.match(fix);
  expect(shown, 'with the code').to.contain(code);
  const after = (await serverStats(server)).connectionsAccepted;
  expect(after - before, 'connection attempts').to.be.at.most(attempts);
  await noNewConnections(after, OBSERVE_MS);
}

/** An HS256 JWT signed with the local dev secret key, made in the page. */
async function jwt(claims: Record<string, unknown>): Promise<string> {
  const enc = (o: unknown) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode('sk_live_local'), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const sig = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(body)));
  return `${body}.${btoa(String.fromCharCode(...sig)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

describe('terminal refusals', function () {
  this.timeout(40000);
  afterEach(() => endCalls(elements));

  it('origin not in the key\'s allowed origins (4001): origin-not-allowed, names this origin', async () => {
    const el = await makeCall({ apiKey: 'pk_live_origin' });
    const origin = location.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expectRefusal(el, () => el.join().catch(() => {}), 'origin-not-allowed', new RegExp(`allowed origins[^]*|${origin}`), 1);
    expect(el.shadowRoot!.querySelector('[part~="error"]')?.textContent).to.contain(location.origin);
  });

  it('an invalid key (4001): invalid-key', async () => {
    const el = await makeCall({ apiKey: 'pk_live_nope' });
    await expectRefusal(el, () => el.join().catch(() => {}), 'invalid-key', /publishable key/, 1);
  });

  it('a room outside the key\'s channels: channel-not-allowed, suggests the pattern', async () => {
    const el = await makeCall({ apiKey: 'pk_live_rooms', room: 'other-room-7' });
    await expectRefusal(el, () => el.join().catch(() => {}), 'channel-not-allowed', /channel pattern/, 1);
  });

  it('a rate-limit close (4011) mid-call: rate-limited, and no reconnect', async () => {
    // the key allows 1 message a second (bursts of 10); a page that renames the participant
    // on every keystroke makes the element publish an introduce each time
    const el = await makeCall({ apiKey: 'pk_live_slow' });
    await el.join();
    await expectRefusal(
      el,
      async () => {
        for (let i = 0; i < 15 && el.state === 'joined'; i++) {
          el.name = `Typing ${i}`;
          await el.updateComplete;
        }
      },
      'rate-limited',
      /rate/,
      0,
    );
  });

  it('a token that the server finds expired on reconnect (4002): token-expired, and no reconnect storm', async () => {
    const room = uniqueRoom('expiring');
    const now = Math.floor(Date.now() / 1000);
    // the backend's clock runs ahead: it claims 10 minutes, the JWT itself expires in 3 s
    const token = await jwt({ channels: [room], iat: now, exp: now + 3 });
    let asked = 0;
    const el = await makeCall({
      room,
      tokenProvider: async () => {
        asked++;
        return { token, expiresAt: now + 600 };
      },
    });
    await el.join();
    // the server closes the session with 4002 at the JWT's expiry; the SDK reconnects with the
    // "fresh" token, which the server refuses as expired again — where a storm would start
    await expectRefusal(el, () => {}, 'token-expired', /token/i, 1);
    // once to join, once more after the server's 4002 (the held token may be stale: a clock
    // behind the server's), and no more: the refetched token is refused too, and the call ends
    expect(asked, 'the provider was asked to join and once more after the 4002, no more').to.equal(2);
  });

  it('an expired token at join (4002): token-expired after one attempt', async () => {
    const room = uniqueRoom('expired');
    const now = Math.floor(Date.now() / 1000);
    const token = await jwt({ channels: [room], iat: now - 120, exp: now - 60 });
    const el = await makeCall({ room, tokenProvider: async () => ({ token, expiresAt: now + 600 }) });
    await expectRefusal(el, () => el.join().catch(() => {}), 'token-expired', /token/i, 1);
  });
});
