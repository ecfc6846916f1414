// Interactions as the element will use them: sending, receiving, events, announcements,
// newcomers and departures. The host and channel are fakes (a plain EventTarget and a
// recorder of sent messages): the real element and SDK wiring is the UI's next step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Interactions, type Announcement, type InteractionChannel } from '../../src/call/interactions.ts';
import type { InteractionMessage } from '../../src/protocol/interaction-messages.ts';
import { parseInteractionMessage } from '../../src/protocol/interaction-messages.ts';

class FakeHost extends EventTarget {
  updates = 0;
  events: { type: string; detail: unknown }[] = [];
  constructor() {
    super();
    for (const type of ['hand-raised', 'reaction', 'quality-change']) this.addEventListener(type, e => this.events.push({ type, detail: (e as CustomEvent).detail }));
  }
  requestUpdate() {
    this.updates++;
  }
}

function setup(fail = false) {
  const host = new FakeHost();
  const sent: InteractionMessage[] = [];
  const channel: InteractionChannel = {
    selfId: 'me',
    send: async m => {
      if (fail) throw new Error('not in a call');
      sent.push(m);
    },
  };
  const announced: Announcement[] = [];
  const interactions = new Interactions(host, channel, a => announced.push(a));
  return { host, sent, announced, interactions };
}

test('raising our hand sends it, fires hand-raised (self), and a newcomer hears it while it is up', async () => {
  const { host, sent, interactions } = setup();
  await interactions.raiseHand(true);
  await interactions.raiseHand(true);
  assert.deepEqual(sent, [{ type: 'hand', raised: true }], 'sent once');
  assert.deepEqual(host.events, [{ type: 'hand-raised', detail: { peerId: 'me', raised: true, self: true } }]);
  interactions.peerJoined();
  assert.deepEqual(sent.at(-1), { type: 'hand', raised: true });
  await interactions.raiseHand(false);
  sent.length = 0;
  interactions.peerJoined();
  assert.deepEqual(sent, [], 'down is what a newcomer assumes');
  interactions.clear();
});

test('a hand that cannot be sent stays as it was', async () => {
  const { host, interactions } = setup(true);
  await assert.rejects(interactions.raiseHand(true), /not in a call/);
  assert.equal(interactions.hands.mine, false);
  assert.deepEqual(host.events, []);
});

test('received hands and reactions: events, announcements, state; departures forget them', () => {
  const { host, announced, interactions } = setup();
  // what arrives has been through the one parser (the session does this)
  const fromPeer = (data: unknown) => interactions.receive('p1', parseInteractionMessage(data)!);
  fromPeer({ type: 'hand', raised: true, from: 'me' });
  fromPeer({ type: 'reaction', reaction: 'party' });
  assert.deepEqual(host.events, [
    { type: 'hand-raised', detail: { peerId: 'p1', raised: true, self: false } },
    { type: 'reaction', detail: { peerId: 'p1', reaction: 'party', emoji: '\u{1F389}', self: false } },
  ]);
  assert.deepEqual(announced, [{ kind: 'hand', peerId: 'p1', raised: true }, { kind: 'reaction', peerId: 'p1', reaction: 'party' }]);
  assert.equal(interactions.hands.isRaised('p1'), true);
  assert.equal(interactions.reactions.showing('p1'), 'party');
  assert.equal(interactions.hands.isRaised('me'), false, 'a spoofed `from` is never read');
  interactions.peerLeft('p1');
  assert.equal(interactions.hands.isRaised('p1'), false);
  assert.equal(interactions.reactions.showing('p1'), null);
  interactions.clear();
});

test('a reaction flood from one peer shows and fires only within its limit', () => {
  const { host, interactions } = setup();
  for (let i = 0; i < 50; i++) interactions.receive('p1', { type: 'reaction', reaction: 'clap' });
  assert.equal(host.events.length, 4);
  interactions.clear();
});

test('our reactions: shown on our tile and fired, refused when too fast', async () => {
  const { host, sent, interactions } = setup();
  const results = [];
  for (let i = 0; i < 5; i++) results.push(await interactions.react('heart'));
  assert.deepEqual(results, [true, true, true, false, false]);
  assert.equal(sent.length, 3);
  assert.equal(interactions.reactions.showing('me'), 'heart');
  assert.equal(host.events.filter(e => (e.detail as { self: boolean }).self).length, 3);
  interactions.clear();
});

test('our upload quality is sent when it changes and to newcomers; theirs is kept per peer', () => {
  const { sent, interactions } = setup();
  interactions.reportOwnQuality('good');
  interactions.reportOwnQuality('good');
  interactions.reportOwnQuality('poor');
  assert.deepEqual(sent, [{ type: 'quality', level: 'good' }, { type: 'quality', level: 'poor' }]);
  interactions.peerJoined();
  assert.deepEqual(sent.at(-1), { type: 'quality', level: 'poor' });
  interactions.receive('p1', { type: 'quality', level: 'fair' });
  assert.equal(interactions.reportedQuality.get('p1'), 'fair');
  interactions.peerLeft('p1');
  assert.equal(interactions.reportedQuality.has('p1'), false);
});
