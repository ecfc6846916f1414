// Chat over the call's channel, between two browser contexts: messages keyed by the
// server-stamped sender with the name that sender introduced, rendered as text only,
// length- and rate-bounded both ways; `sendChat()` and `chat-message` for a page's own UI.
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { MeteredCall } from '../src/index.js';
import { uniqueRoom, useLocalServer } from './helpers/local-server.js';
import { endCalls, hostBrowser, type Participant } from './helpers/participants.js';
import { $, $$, joinVisitor, makeCall, whenShadow } from './helpers/call-ui.js';

const server = useLocalServer({ turn: false });
const elements: MeteredCall[] = [];

type ChatDetail = { peerId: string; username: string; text: string; self: boolean };

async function pair(): Promise<{ a: MeteredCall; b: Participant; idB: string; room: string }> {
  const room = uniqueRoom('chat');
  const a = await makeCall(server, { room, name: 'Ana Lima', skipPrejoin: true, chat: true });
  elements.push(a);
  await a.join();
  const introduced = oneEvent(a, 'introduce');
  const { p: b, id: idB } = await joinVisitor(server, room, 'Bruno', {}, { browser: 'chromium' });
  await introduced;
  // B knows A's name too before A says anything
  await b.eval(`window.__whenShadow(window.el, () => Object.values(window.__r.remoteNames(window.el)).includes('Ana Lima'), 'A named on B')`);
  return { a, b, idB, room };
}

/** In B's page: arms `window.__nextChat`, the promise of the next `chat-message` B fires (eval returns at once). */
const armNextChatOnB = `(window.__nextChat = new Promise(r => window.el.addEventListener('chat-message', e => r(e.detail), { once: true })), 0)`;

describe('chat', function () {
  this.timeout(60000);
  afterEach(() => endCalls(elements));

  it('a message crosses between two contexts with the sender’s id and introduced name, and renders as text only', async () => {
    const { a, b, idB } = await pair();
    $(a, '[part~="chat-button"]')!.click();
    await whenShadow(a, () => $(a, '[part~="chat"]'), 'chat panel');

    const received = oneEvent(a, 'chat-message');
    await b.eval(armNextChatOnB);
    const hostile = '<img src=x onerror="window.__pwned=1"> <b>hi</b>';
    await b.eval(`window.el.sendChat(${JSON.stringify(hostile)})`);
    const { detail } = (await received) as CustomEvent<ChatDetail>;
    expect(detail).to.deep.equal({ peerId: idB, username: 'Bruno', text: hostile, self: false });
    expect(await b.eval<ChatDetail>('window.__nextChat'), 'the sender hears itself').to.deep.equal({
      peerId: idB,
      username: 'Bruno',
      text: hostile,
      self: true,
    });
    await whenShadow(a, () => $$(a, '[part~="message"]').length === 1, 'the message in the panel');
    const message = $(a, '[part~="message"]')!;
    expect(message.querySelector('[part~="message-author"]')!.textContent).to.equal('Bruno');
    expect(message.querySelector('[part~="message-text"]')!.textContent).to.equal(hostile);
    expect(message.querySelector('img, b'), 'no markup from the network').to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);

    // A answers through the panel: type, Enter
    await b.eval(armNextChatOnB);
    const sent = oneEvent(a, 'chat-message');
    $<HTMLInputElement>(a, '[part~="message-input"]')!.focus();
    await sendKeys({ type: 'Step 3 could lose a field' });
    if (hostBrowser() === 'chromium') await sendKeys({ press: 'Enter' });
    else $<HTMLButtonElement>(a, '[part~="send-button"]')!.click(); // (no implicit submission from a BiDi Enter)
    expect(((await sent) as CustomEvent<ChatDetail>).detail).to.deep.equal({ peerId: a.peerId, username: 'Ana Lima', text: 'Step 3 could lose a field', self: true });
    expect(await b.eval<ChatDetail>('window.__nextChat')).to.deep.equal({ peerId: a.peerId, username: 'Ana Lima', text: 'Step 3 could lose a field', self: false });
    await whenShadow(a, () => $<HTMLInputElement>(a, '[part~="message-input"]')!.value === '', 'the field cleared');
    expect($$(a, '[part~="message"][part~="self"]')).to.have.length(1);
  });

  it('refuses what does not fit: spoofed senders, wrong shapes, over-long text, invisible characters, floods', async () => {
    const { a, b, idB, room } = await pair();
    const got: ChatDetail[] = [];
    a.addEventListener('chat-message', e => got.push(e.detail));
    // B's SDK peer, used raw: what a hostile participant can put on the wire
    const raw = (payload: unknown) => b.eval(`window.el.session.sdkPeer.send(${JSON.stringify(payload)})`);
    await raw({ type: 'chat', text: 'spoofed', peerId: 'someone-else', from: 'someone-else', username: 'Admin' });
    await raw({ type: 'chat', text: 42 });
    await raw({ type: 'chat', text: 'x'.repeat(2001) }); // more than a well-behaved sender ever sends: refused
    await raw({ type: 'chat' });
    await raw({ type: 'chat', text: '   ' });
    await raw({ type: 'chat', text: 'a\u202eb\u200bc\u0000d' });
    await raw({ type: 'chat', text: 'y'.repeat(700) }); // within the wire bound, cut to 500 characters
    await whenShadow(a, () => got.length === 3, 'three messages accepted');
    expect(got.map(m => [m.peerId, m.username])).to.deep.equal([
      [idB, 'Bruno'],
      [idB, 'Bruno'],
      [idB, 'Bruno'],
    ]);
    expect(got.map(m => m.text)).to.deep.equal(['spoofed', 'abcd', 'y'.repeat(500)]);

    // a flood: A takes a burst, then drops the rest (rate-bounded per sender)
    got.length = 0;
    await b.eval(`Promise.all(Array.from({ length: 40 }, (_, i) => window.el.session.sdkPeer.send({ type: 'chat', text: 'flood ' + i })))`);
    // a marker from a third participant, sent after every flood message reached the server
    const { p: c } = await joinVisitor(server, room, 'Chiara', {}, { browser: 'chromium' });
    const marker = new Promise<void>(resolve =>
      a.addEventListener('chat-message', e => e.detail.text === 'marker' && resolve()),
    );
    await c.eval(`window.el.sendChat('marker')`);
    await marker;
    const flood = got.filter(m => m.text.startsWith('flood'));
    expect(flood.length, 'some of the flood gets through').to.be.greaterThan(0);
    expect(flood.length, 'most of it does not').to.be.at.most(12);
    expect(a.state).to.equal('joined');
  });

  it('sendChat() rejects outside a call, for empty text and beyond 5 messages at once; long text is cut to 500 characters', async () => {
    const a = await makeCall(server, { room: uniqueRoom('solo'), skipPrejoin: true });
    elements.push(a);
    const outcome = (p: Promise<unknown>) => p.then(() => 'sent', (e: Error & { code?: string }) => e.code ?? e.message);
    expect(await outcome(a.sendChat('hello'))).to.match(/not in a call/);
    await a.join();
    expect(await outcome(a.sendChat(' \u200b '))).to.match(/nothing to send/);
    const mine: ChatDetail[] = [];
    a.addEventListener('chat-message', e => mine.push(e.detail));
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map(i => outcome(a.sendChat(i === 1 ? 'z'.repeat(900) : `m${i}`))));
    expect(results.slice(0, 5)).to.deep.equal(['sent', 'sent', 'sent', 'sent', 'sent']);
    expect(results[5]).to.equal('rate-limited');
    expect(mine[0]!.text).to.have.length(500);
    expect(mine, 'one chat-message event per message sent').to.have.length(5);
    expect(mine.every(m => m.self && m.peerId === a.peerId)).to.equal(true);
  });

  it('counts unread messages on the chat button while the panel is closed, and announces them', async () => {
    const { a, b } = await pair();
    await b.eval(`window.el.sendChat('one')`);
    await b.eval(`window.el.sendChat('two')`);
    await whenShadow(a, () => $(a, '[part~="chat-button"] [part~="badge"]')?.textContent === '2', 'badge 2');
    const live = () => $$(a, '[role="status"]').map(r => r.textContent).join('|');
    expect(live()).to.contain('New message from Bruno');
    $(a, '[part~="chat-button"]')!.click();
    await whenShadow(a, () => !$(a, '[part~="badge"]') && $$(a, '[part~="message"]').length === 2, 'read on opening');
    expect(a.shadowRoot!.activeElement?.matches('[part~="message-input"]'), 'focus in the message field').to.equal(true);
  });
});
