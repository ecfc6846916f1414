// Raised hands, reactions, connection quality and the people panel (issue 15), between this
// page's <metered-call> and other visitors in their own browser contexts on the local server:
// what the sender's tile shows, what the others see, hear (the live region) and receive
// (events), late joiners, per-sender limits, a plain SDK page that ignores it all, and axe in
// the new states in both themes.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import type { MeteredCallEventDetails } from '../src/events.js';
import { DEV_KEY, uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, hostBrowser, openParticipant, type Participant } from './helpers/participants.js';
import { $, $$, joinVisitor, makeCall, remoteTileWhere, tileOf, whenShadow } from './helpers/call-ui.js';
import { plainJoined } from './helpers/pages.js';

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

async function joined(attrs: Partial<MeteredCall> = {}): Promise<MeteredCall> {
  const el = await makeCall(server, { room: uniqueRoom('social'), name: 'Ana Lima', skipPrejoin: true, ...attrs });
  elements.push(el);
  await el.join();
  await el.updateComplete;
  return el;
}

const button = (el: MeteredCall, name: string) => $<HTMLButtonElement>(el, `[part~="${name}-button"]`)!;
const live = (el: MeteredCall) => $$(el, '[role="status"]:not([part])').map(r => r.textContent ?? '').join('|');

/** Records `type` events of `el` as they reach the document (they bubble and are composed). */
function record<K extends keyof MeteredCallEventDetails>(type: K): MeteredCallEventDetails[K][] {
  const seen: MeteredCallEventDetails[K][] = [];
  const listener = (e: Event) => seen.push((e as CustomEvent<MeteredCallEventDetails[K]>).detail);
  document.addEventListener(type, listener);
  recorders.push(() => document.removeEventListener(type, listener));
  return seen;
}
const recorders: (() => void)[] = [];

/**
 * In visitor `p`'s page, from now on: the detail of the first `type` event of its element
 * that passes `test` (JS over `d`); `await` the result to read it.
 */
async function listen(p: Participant, type: string, test: string): Promise<() => Promise<unknown>> {
  const key = `__heard${Math.random().toString(36).slice(2)}`;
  await p.eval(`window.${key} = new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no ${type} event')), 15000);
    window.el.addEventListener(${JSON.stringify(type)}, e => { const d = e.detail; if (${test}) { clearTimeout(t); resolve(d); } });
  }); true`);
  return () => p.eval(`window.${key}`);
}

/** Visitor `p`'s element, after this participant connected: waits until `peerId`'s tile is there and connected. */
async function connected(el: MeteredCall, peerId: string): Promise<void> {
  await whenShadow(el, () => tileOf(el, peerId)?.getAttribute('data-connection') === 'connected', `${peerId} connected`);
}

describe('raised hands, reactions, connection quality, people panel', function () {
  this.timeout(60000);
  afterEach(async () => {
    recorders.splice(0).forEach(stop => stop());
    await endCalls(elements);
  });

  it('raises and lowers a hand: shown on the sender\'s tile and the others\', announced, fired, sent to a late joiner', async () => {
    const a = await joined();
    const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno');
    await connected(a, idB);
    const idA = a.peerId!;

    // A raises: A's own tile and button, A's event (bubbling and composed: heard on the document)
    const ownEvents = record('hand-raised');
    const bHears = await listen(b, 'hand-raised', `d.peerId === ${JSON.stringify(idA)} && d.raised`);
    const raised = oneEvent(a, 'hand-raised');
    button(a, 'hand').click();
    await raised;
    expect(ownEvents[0], 'heard on the document').to.deep.equal({ peerId: idA, raised: true, self: true });
    await whenShadow(a, () => $(a, '[part~="local"][part~="hand-raised"]'), 'our hand on our tile');
    expect(button(a, 'hand').getAttribute('aria-pressed')).to.equal('true');
    expect($(a, '[part~="local"] [part~="hand"]')!.getAttribute('aria-label')).to.equal('Hand raised');

    // B sees A's hand on A's tile, hears it announced, gets the event
    expect(await bHears()).to.deep.equal({ peerId: idA, raised: true, self: false });
    await b.eval(remoteTileWhere(idA, `t.matches('[part~="hand-raised"]') && t.querySelector('[part~="hand"]')`, "A's hand on B's stage"));
    await b.eval(`window.__whenShadow(window.el, () => [...window.el.shadowRoot.querySelectorAll('[role="status"]:not([part])')].some(r => r.textContent.includes('Ana Lima raised their hand')), 'announced', 15000)`);

    // a late joiner hears the hand that is up (state, not an event)
    const { p: c, id: idC } = await joinVisitor(server, a.room, 'Carla');
    await connected(a, idC);
    await c.eval(remoteTileWhere(idA, `t.matches('[part~="hand-raised"]')`, "A's hand, for the late joiner"));

    // A lowers: gone everywhere, announced to the others
    const lowered = oneEvent(a, 'hand-raised');
    button(a, 'hand').click();
    expect((await lowered).detail).to.deep.equal({ peerId: idA, raised: false, self: true });
    await whenShadow(a, () => !$(a, '[part~="hand-raised"]'), 'our hand down');
    await b.eval(remoteTileWhere(idA, `!t.matches('[part~="hand-raised"]')`, "A's hand down on B's stage"));
    await c.eval(`window.__whenShadow(window.el, () => [...window.el.shadowRoot.querySelectorAll('[role="status"]:not([part])')].some(r => r.textContent.includes('Ana Lima lowered their hand')), 'lowering announced', 15000)`);

    // and B's hand on A's stage, announced here
    await b.eval(`window.el.shadowRoot.querySelector('[part~="hand-button"]').click()`);
    await whenShadow(a, () => tileOf(a, idB)?.matches('[part~="hand-raised"]') && live(a).includes('Bruno raised their hand'), "B's hand, announced");
    await b.close();
    await c.close();
  });

  it('sends a reaction from the picker: shown briefly on the sender\'s tile, announced and fired at the others, limited per sender', async () => {
    const a = await joined();
    const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno');
    await connected(a, idB);
    const idA = a.peerId!;

    // the picker opens with focus in it, a choice sends and closes it (focus back on its button)
    button(a, 'reactions').click();
    await whenShadow(a, () => a.shadowRoot!.activeElement?.matches('[part~="reaction-picker"] button'), 'the picker, focus in it');
    expect($$(a, '[part~="reaction-button"]').map(x => x.textContent!.trim()).join('')).to.equal('\u{1F44D}\u{1F44F}\u{1F602}\u2764\uFE0F\u{1F62E}\u{1F389}');
    const own = oneEvent(a, 'reaction');
    const bHears = await listen(b, 'reaction', `d.peerId === ${JSON.stringify(idA)}`);
    $<HTMLButtonElement>(a, '[data-reaction="clap"]')!.click();
    expect((await own).detail).to.deep.equal({ peerId: idA, reaction: 'clap', emoji: '\u{1F44F}', self: true });
    await whenShadow(a, () => !$(a, '[part~="reaction-picker"]') && a.shadowRoot!.activeElement === button(a, 'reactions'), 'picker closed, focus back');
    expect($(a, '[part~="local"] [part~="reaction"]')!.textContent).to.equal('\u{1F44F}');
    expect(await bHears()).to.deep.equal({ peerId: idA, reaction: 'clap', emoji: '\u{1F44F}', self: false });
    await b.eval(remoteTileWhere(idA, `t.querySelector('[part~="reaction"]')?.textContent === '\u{1F44F}'`, "A's reaction on B's stage"));
    await b.eval(`window.__whenShadow(window.el, () => [...window.el.shadowRoot.querySelectorAll('[role="status"]:not([part])')].some(r => r.textContent.includes('Ana Lima reacted \u{1F44F}')), 'announced', 15000)`);
    // shown briefly: it leaves the tile by itself (Reactions' own timer, 4 s)
    await whenShadow(a, () => !$(a, '[part~="local"] [part~="reaction"]'), 'our reaction gone from our tile');

    // a burst of 8 raw reactions from B (within the session's per-sender limit): 4 shown, then
    // a hand message that arrives after them on the same socket says the burst is over
    const fromB: MeteredCallEventDetails['reaction'][] = [];
    a.addEventListener('reaction', e => fromB.push(e.detail));
    const handOfB = new Promise<void>(resolve => a.addEventListener('hand-raised', e => e.detail.peerId === idB && resolve()));
    await b.eval(`(async () => {
      const peer = window.el.session.sdkPeer;
      await Promise.all(Array.from({ length: 8 }, () => peer.send({ type: 'reaction', reaction: 'party' })));
      await peer.send({ type: 'hand', raised: true });
    })()`);
    await handOfB;
    // 4 at once, then 1 a second: a fifth only if the burst took over a second to arrive
    expect(fromB.length, 'reactions shown of a burst of 8').to.be.within(4, 5);
    expect(fromB.every(d => d.peerId === idB && d.reaction === 'party' && !d.self)).to.equal(true);
    await whenShadow(a, () => tileOf(a, idB)?.querySelector('[part~="reaction"]')?.textContent === '\u{1F389}', "B's reaction on B's tile");

  });

  it('shows connection quality on every tile (ours: our upload) with the reason in the title, and fires quality-change', async () => {
    const changes = record('quality-change');
    const a = await joined();
    const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno');
    const idA = a.peerId!;
    // measured from real getStats() on loopback: good, both for B and for our upload
    await whenShadow(
      a,
      () => tileOf(a, idB)?.getAttribute('data-connection-quality') === 'good' && $(a, '[part~="local"]')?.getAttribute('data-connection-quality') === 'good',
      'quality measured on both tiles',
    );
    expect(tileOf(a, idB)!.title).to.equal('Good connection');
    expect($(a, '[part~="local"]')!.title).to.equal('Good connection');
    expect(tileOf(a, idB)!.querySelector('[part~="quality"]')!.getAttribute('aria-label')).to.equal('Good connection');
    expect(changes).to.deep.include({ peerId: idB, quality: 'good', reasons: [], self: false });
    expect(changes).to.deep.include({ peerId: idA, quality: 'good', reasons: [], self: true });

    // B tells the room its own upload is poor: B's tile here says so, and why; a level out of
    // the vocabulary is dropped unread
    await b.eval(`window.el.session.sdkPeer.send({ type: 'quality', level: 'terrible' })`);
    await b.eval(`window.el.session.sdkPeer.send({ type: 'quality', level: 'poor' })`);
    await whenShadow(a, () => tileOf(a, idB)?.getAttribute('data-connection-quality') === 'poor', "B's own report");
    expect(tileOf(a, idB)!.title).to.equal('Poor connection: Their network');
    expect(tileOf(a, idB)!.querySelector('[part~="quality"][data-level="poor"]')).to.exist;
    await b.eval(`window.el.session.sdkPeer.send({ type: 'quality', level: 'good' })`);
    await whenShadow(a, () => tileOf(a, idB)?.getAttribute('data-connection-quality') === 'good', 'back to what we measure');
  });

  it('lists everyone in the people panel with name, microphone, camera, hand and quality; keyboard operable', async () => {
    const a = await joined({ chat: true });
    const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno');
    await connected(a, idB);
    await b.eval(`window.el.shadowRoot.querySelector('[part~="mic-button"]').click()`);
    await whenShadow(a, () => tileOf(a, idB)?.matches('[part~="audio-off"]'), "B's microphone off");

    button(a, 'people').focus();
    if (hostBrowser() === 'chromium') await sendKeys({ press: 'Enter' });
    else button(a, 'people').click();
    await whenShadow(a, () => a.shadowRoot!.activeElement?.matches('[part~="people-list"]'), 'the panel open, focus on its list');
    expect(button(a, 'people').getAttribute('aria-pressed')).to.equal('true');
    const row = (id: string) => $(a, `[part~="person"][data-peer-id="${id}"]`)!;
    const marks = (id: string) => [...row(id).querySelectorAll('[role="img"]')].map(m => m.getAttribute('aria-label'));
    expect($$(a, '[part~="person"]').map(r => r.querySelector('.name')!.textContent)).to.deep.equal(['Bruno', 'Ana Lima (you)']);
    await whenShadow(a, () => marks(idB).includes('Microphone off') && marks(idB).includes('Camera on'), "B's microphone and camera");
    expect(marks(a.peerId!)).to.include.members(['Microphone on', 'Camera on']);

    // a raised hand goes first, with its mark (ours after the others' hands); quality shows once measured
    const order = () => $$(a, '[part~="person"]').map(r => r.querySelector('.name')!.textContent);
    button(a, 'hand').click();
    await whenShadow(a, () => marks(a.peerId!).includes('Hand raised'), 'our hand in the panel');
    expect(order()).to.deep.equal(['Ana Lima (you)', 'Bruno']);
    await b.eval(`window.el.shadowRoot.querySelector('[part~="hand-button"]').click()`);
    await whenShadow(a, () => marks(idB).includes('Hand raised'), "B's hand in the panel");
    expect(order()).to.deep.equal(['Bruno', 'Ana Lima (you)']);
    await whenShadow(a, () => marks(idB).includes('Good connection'), "B's quality in the panel");

    // Escape closes it, focus back on its button
    $<HTMLElement>(a, '[part~="people-list"]')!.focus();
    await sendKeys({ press: 'Escape' });
    await whenShadow(a, () => !$(a, '[part~="people"]') && a.shadowRoot!.activeElement === button(a, 'people'), 'closed, focus back');
  });

  it('is ignored harmlessly by a plain SDK page, which still gets the call and the names', async () => {
    const a = await joined();
    const plain: Participant = await openParticipant('/test/fixtures/plain-sdk.html', { server: server.wsUrl, key: DEV_KEY, room: a.room, name: 'Tutorial' });
    const plainId = await plain.eval<string>(plainJoined());
    await whenShadow(a, () => tileOf(a, plainId) && $(a, '[part~="remote"] [part~="name"]')?.textContent === 'Tutorial', 'the plain page, named');
    button(a, 'hand').click();
    button(a, 'reactions').click();
    await whenShadow(a, () => $(a, '[data-reaction="laugh"]'), 'the picker');
    $<HTMLButtonElement>(a, '[data-reaction="laugh"]')!.click();
    const types = await plain.eval<string[]>(`new Promise(r => { const f = () => { const t = window.app.received.filter(m => m.senderPeerId === ${JSON.stringify(a.peerId)}).map(m => m.data.type); t.includes('hand') && t.includes('reaction') ? r(t) : requestAnimationFrame(f); }; f(); })`);
    expect(types).to.include.members(['introduce', 'hand', 'reaction']);
    expect(await plain.eval('window.app.error')).to.equal(null);
    expect(await plain.eval(`window.app.names[${JSON.stringify(a.peerId)}]`)).to.equal('Ana Lima');
    // the plain page sends no quality of its own: its tile shows what we measure, nothing else
    expect(tileOf(a, plainId)!.getAttribute('data-connection-quality')).to.not.equal('poor');
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`passes axe with hands raised, a reaction shown, the picker and the people panel open, ${theme} theme`, async () => {
      const a = await joined({ theme });
      const { p: b, id: idB } = await joinVisitor(server, a.room, 'Bruno');
      await connected(a, idB);
      await b.eval(`window.el.shadowRoot.querySelector('[part~="hand-button"]').click()`);
      button(a, 'hand').click();
      await whenShadow(a, () => tileOf(a, idB)?.matches('[part~="hand-raised"]') && $(a, '[part~="local"][part~="hand-raised"]'), 'both hands up');
      await whenShadow(a, () => tileOf(a, idB)?.hasAttribute('data-connection-quality'), 'quality shown');
      await b.eval(`window.el.session.sdkPeer.send({ type: 'reaction', reaction: 'heart' })`);
      await whenShadow(a, () => tileOf(a, idB)?.querySelector('[part~="reaction"]'), "B's reaction");
      await expect(a).to.be.accessible();
      button(a, 'reactions').click();
      await whenShadow(a, () => $(a, '[part~="reaction-picker"]'), 'the picker');
      await expect(a).to.be.accessible();
      button(a, 'people').click();
      await whenShadow(a, () => $(a, '[part~="people"] [part~="person"]'), 'the people panel');
      await expect(a).to.be.accessible();
    });
  }
});
