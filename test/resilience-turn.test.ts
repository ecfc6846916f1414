// TURN renewal, against the real local server and real coturn: the credentials endpoint
// hands out credentials that live a few seconds, both participants send media only through
// TURN (ice-transport-policy="relay"), and the element must renew the credentials before
// they expire, put them on its live connections (setConfiguration + ICE restart onto a new
// relay allocation) and keep the picture moving on both sides. If the endpoint fails, it
// retries with backoff, shows a warning, and the call goes on.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant, type Participant } from './helpers/participants.js';
import { eventually, fetchTap, remoteVideo, selectedPairs, until, watchFrames } from './helpers/resilience.js';

const probe = instrumentPage();
const turnTap = fetchTap('/api/v1/turn/credentials');
/** Every TURN username this page was given, in order. */
const usernames: string[] = [];
const tapped = window.fetch;
window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
  const response = await tapped(input, init);
  const url = input instanceof Request ? input.url : String(input);
  if (url.includes('/api/v1/turn/credentials') && response.ok) {
    const body = (await response.clone().json()) as Array<{ username?: string }>;
    const username = body.find(s => s.username)?.username;
    if (username) usernames.push(username);
  }
  return response;
};

const TTL_S = 5;
const PARTICIPANT = '/test/fixtures/resilience-participant.html';
const MAX_GAP_MS = 1000;

let server: LocalServer;
let turnUrl: string;
const elements: MeteredCall[] = [];

async function makeCall(room: string, resilience: MeteredCall['resilience']): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  Object.assign(el, { serverUrl: server.wsUrl, turnUrl, apiKey: DEV_KEY, room, name: 'A', iceTransportPolicy: 'relay', resilience });
  probe.watch(el);
  elements.push(el);
  await el.updateComplete;
  return el;
}

function participant(room: string, name: string, resilience: object): Promise<Participant> {
  return openParticipant(PARTICIPANT, {
    attrs: JSON.stringify({ 'server-url': server.wsUrl, 'turn-url': turnUrl, 'api-key': DEV_KEY, room, name, 'ice-transport-policy': 'relay' }),
    resilience: JSON.stringify(resilience),
  });
}

const livePcs = () => probe.peerConnections.filter(pc => pc.connectionState !== 'closed');

describe('TURN renewal (relay-only call, credentials living a few seconds)', function () {
  this.timeout(60000);

  before(async () => {
    server = await startLocalServer({ turnTtl: TTL_S });
    expect(server.turn, 'coturn runs for this test').to.not.equal(null);
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    await stopLocalServer(server);
  });
  afterEach(async () => {
    turnTap.fail = 0;
    await Promise.all(elements.splice(0).map(el => el.leave()));
    await closeAllParticipants();
  });

  it('renews before expiry, applies the credentials to the live connection, and frames never stop on either side', async () => {
    const room = uniqueRoom('turn-renew');
    const resilience = { turnRenewMargin: 0.5 };
    const a = await makeCall(room, resilience);
    const b = await participant(room, 'B', resilience);
    await a.join();
    const idB = await b.eval<string>('window.__r.join()');
    const idA = a.peerId!;
    const fetchesA0 = turnTap.log.length;
    const fetchesB0 = await b.eval<number>('window.__r.turnFetches.log.length');

    // the call is up, through the relay only
    const watchA = watchFrames(() => remoteVideo(a, idB));
    await until(() => !!remoteVideo(a, idB), 'the tile of B on A');
    await watchA.frames(3, 15000);
    await b.eval(`(async () => { const w = window.__r.watchPeer(${JSON.stringify(idA)}); await window.__r.until(() => !!window.__r.remoteVideo(window.el, ${JSON.stringify(idA)}), 'tile of A'); await window.__r.watches[w].frames(3, 15000); })()`);
    const [first] = await selectedPairs(livePcs());
    expect(first?.type, 'media goes through the relay').to.equal('relay');

    // at least three renewals on each side (A: the test page; B: the participant)
    await until(() => turnTap.log.filter(f => f.status === 200).length >= fetchesA0 + 3, 'three renewals on A', 30000);
    await b.eval(`window.__r.until(() => window.__r.turnFetches.log.filter(f => f.status === 200).length >= ${fetchesB0 + 3}, 'three renewals on B', 30000)`);
    // ...each one put the new credentials on the live connection
    const latest = usernames[usernames.length - 1]!;
    const firstExpiry = Number(usernames[0]!.split(':')[0]) * 1000;
    expect(Date.now(), 'the first credentials have expired by now').to.be.greaterThan(firstExpiry);
    for (const pc of livePcs()) {
      const servers = pc.getConfiguration().iceServers ?? [];
      expect(servers.map(s => s.username).filter(Boolean), 'the live connection carries the latest credentials').to.include(latest);
      expect(pc.getConfiguration().iceTransportPolicy, 'renewal kept the relay-only policy').to.equal('relay');
    }
    // ...and restarted ICE onto a fresh relay allocation (made with them: the first ones have expired)
    let now = first;
    await eventually(async () => {
      [now] = await selectedPairs(livePcs());
      return !!now?.id && now.id !== first!.id;
    }, 'the selected relay candidate to change', 10000);
    expect(now?.type).to.equal('relay');
    expect(now?.id, 'an ICE restart moved the call to a new relay allocation').to.not.equal(first!.id);

    // and the picture never froze for more than a second, on either side
    const gapA = watchA.stop();
    const gapB = await b.eval<{ frames: number; maxGapMs: number }>('window.__r.watches[0].stop()');
    expect(gapA.maxGapMs, `A saw B freeze (${gapA.frames} frames)`).to.be.at.most(MAX_GAP_MS);
    expect(gapB.maxGapMs, `B saw A freeze (${gapB.frames} frames)`).to.be.at.most(MAX_GAP_MS);
    expect(a.state).to.equal('joined');

    // a newcomer long after the first credentials expired connects through A's current ones
    const c = await participant(room, 'C', resilience);
    const idC = await c.eval<string>('window.__r.join()');
    await until(() => !!remoteVideo(a, idC), 'the tile of C on A');
    await watchFrames(() => remoteVideo(a, idC)).frames(3, 15000);
  });

  it('retries a failing credentials endpoint with backoff, warns, keeps the call, and clears the warning once it works', async () => {
    const room = uniqueRoom('turn-fail');
    const a = await makeCall(room, { turnRenewMargin: 0.5, turnRetryInitialMs: 300, turnRetryMaxMs: 5000 });
    const b = await participant(room, 'B', { turnRenewMargin: 0.5 });
    await a.join();
    const idB = await b.eval<string>('window.__r.join()');
    const watchA = watchFrames(() => remoteVideo(a, idB));
    await until(() => !!remoteVideo(a, idB), 'the tile of B on A');
    await watchA.frames(3, 15000);

    // the endpoint starts failing before the first renewal is due
    const warned = oneEvent(a, 'error');
    turnTap.fail = 503;
    const failedBefore = turnTap.log.length;
    const warning = (await warned).detail;
    expect(warning.code).to.equal('turn-renewal-failed');
    expect(warning.fatal, 'a warning, not the end of the call').to.equal(false);
    await a.updateComplete;
    const notice = a.shadowRoot!.querySelector('[part~="notice"]');
    expect(notice?.textContent, 'the warning is on screen').to.match(/connection|relay|secure/i);

    await until(() => turnTap.log.length >= failedBefore + 4, 'four failed renewal attempts', 20000);
    const failures = turnTap.log.slice(failedBefore, failedBefore + 4).map(f => f.at);
    const waits = failures.slice(1).map((t, i) => t - failures[i]!);
    const backoff = `waits ${waits.map(Math.round).join(', ')} ms for a backoff of 300, 600, 1200 ms`;
    // a loaded machine only makes waits longer: the lower bounds are the schedule, and it must grow
    [300, 600, 1200].forEach((ms, i) => expect(waits[i]!, backoff).to.be.at.least(ms * 0.9));
    expect(waits[2]!, backoff).to.be.greaterThan(waits[0]! * 2);
    let errors = 0;
    a.addEventListener('error', () => errors++);

    // the call goes on meanwhile
    expect(a.state).to.equal('joined');
    await watchA.frames(10, 10000);

    // the endpoint recovers: the next retry succeeds and the warning goes away
    turnTap.fail = 0;
    const ok = turnTap.log.length;
    await until(() => turnTap.log.slice(ok).some(f => f.status === 200), 'a successful renewal', 15000);
    await until(() => !a.shadowRoot!.querySelector('[part~="notice"]'), 'the warning to go', 5000);
    await watchA.frames(5, 10000);
    expect(watchA.stop().maxGapMs, 'no freeze while the endpoint failed').to.be.at.most(MAX_GAP_MS);
    expect(errors, 'the warning was reported once').to.equal(0);
  });
});
