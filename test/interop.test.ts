// <metered-call> and the plain page from Metered's tutorial (test/fixtures/plain-sdk.html:
// MeteredPeer, `peer.send({ type: "introduce", username })`, tiles on `track`) in one
// room: video and names must cross both ways, whoever joins first.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { instrumentPage } from './helpers/instrument.js';
import type { MeteredCall } from '../src/index.js';
import '../src/define.js';
import { DEV_KEY, startLocalServer, stopLocalServer, uniqueRoom, type LocalServer } from './helpers/local-server.js';
import { closeAllParticipants, openParticipant, type Participant } from './helpers/participants.js';
import { plainJoined, plainRemoteFrames } from './helpers/pages.js';

const probe = instrumentPage();
let server: LocalServer;
let turnUrl: string;

async function element(room: string): Promise<MeteredCall> {
  const el = await fixture<MeteredCall>(html`<metered-call></metered-call>`);
  Object.assign(el, { serverUrl: server.wsUrl, turnUrl, apiKey: DEV_KEY, room, name: 'Élodie' });
  return el;
}

const plainPage = (room: string) =>
  openParticipant('/test/fixtures/plain-sdk.html', { server: server.wsUrl, turn: turnUrl, key: DEV_KEY, room, name: 'Tutorial' });

async function expectCallBothWays(el: MeteredCall, plain: Participant, plainId: string, introduced: Promise<CustomEvent>) {
  // the plain page's name reaches the element
  expect((await introduced).detail).to.deep.equal({ peerId: plainId, username: 'Tutorial' });
  // video both ways
  await probe.waitForRemoteFrames(el, [plainId], 3, 15000);
  await plain.eval(plainRemoteFrames(el.peerId, 3, 15000));
  // names both ways: the tutorial page keeps names from `introduce` by senderPeerId
  await el.updateComplete;
  expect(probe.remoteNames(el)[plainId]).to.equal('Tutorial');
  const names = await plain.eval<Record<string, string>>(
    `new Promise(r => { const f = () => window.app.names[${JSON.stringify(el.peerId)}] ? r(window.app.names) : requestAnimationFrame(f); f(); })`,
  );
  expect(names[el.peerId!]).to.equal('Élodie');
  // introductions in exactly the tutorial's wire shape; the element's other messages (its
  // mute/camera `state`) carry other types, which the tutorial page ignores
  const received = await plain.eval<{ senderPeerId: string; data: { type?: unknown } }[]>('window.app.received');
  const fromElement = received.filter(m => m.senderPeerId === el.peerId);
  const introductions = fromElement.filter(m => m.data?.type === 'introduce');
  expect(introductions.length).to.be.greaterThan(0);
  for (const m of introductions) expect(m.data).to.deep.equal({ type: 'introduce', username: 'Élodie' });
  for (const m of fromElement) expect(m.data?.type, 'every message is typed').to.be.a('string');
}

describe('interop with the tutorial page', function () {
  this.timeout(40000);

  before(async () => {
    server = await startLocalServer();
    turnUrl = `${server.turnCredentialsUrl}?apiKey=${DEV_KEY}`;
  });
  after(async () => {
    if (server) await stopLocalServer(server);
  });
  afterEach(async () => {
    await closeAllParticipants();
  });

  it('element first, tutorial page second: video and names cross both ways', async () => {
    const room = uniqueRoom('interop');
    const el = await element(room);
    await el.join();
    const introduced = oneEvent(el, 'introduce');
    const plain = await plainPage(room);
    const plainId = await plain.eval<string>(plainJoined());
    await expectCallBothWays(el, plain, plainId, introduced);
    await el.leave();
  });

  it('tutorial page first, element second: video and names cross both ways', async () => {
    const room = uniqueRoom('interop');
    const plain = await plainPage(room);
    const plainId = await plain.eval<string>(plainJoined());
    const el = await element(room);
    const introduced = oneEvent(el, 'introduce');
    await el.join();
    await expectCallBothWays(el, plain, plainId, introduced);
    // the element leaving removes its tile on the tutorial page
    const elId = el.peerId!;
    expect(await plain.eval(`window.app.tiles.has(${JSON.stringify(elId)})`)).to.equal(true);
    await el.leave();
    await plain.eval(`new Promise(r => { const f = () => window.app.tiles.has(${JSON.stringify(elId)}) ? requestAnimationFrame(f) : r(); f(); })`);
  });
});
