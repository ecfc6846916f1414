// Raised hands (state: latest wins, our clock orders the queue, announcements limited per
// sender) and reactions (shown briefly, a stricter per-sender limit, we send slower than
// others accept).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaisedHands } from '../../src/call/raised-hands.ts';
import { Reactions } from '../../src/call/reactions.ts';

test('hands: changes only, queued in the order we learned them, gone with their owner', () => {
  const hands = new RaisedHands();
  assert.deepEqual(hands.receive('b', true, 1000), { raised: true, announce: true });
  assert.deepEqual(hands.receive('a', true, 2000), { raised: true, announce: true });
  assert.equal(hands.receive('a', true, 3000), null, 'a repeat changes nothing');
  assert.equal(hands.receive('c', false, 3000), null, 'lowering a hand that is down changes nothing');
  assert.deepEqual(hands.queue(), ['b', 'a']);
  assert.deepEqual(hands.receive('b', false, 4000), { raised: false, announce: true });
  assert.equal(hands.isRaised('b'), false);
  assert.equal(hands.forget('a'), true);
  assert.equal(hands.forget('a'), false);
  assert.deepEqual(hands.queue(), []);
});

test('hands: a peer toggling fast still ends in the state it last sent, but is announced only a few times', () => {
  const hands = new RaisedHands();
  const changes = Array.from({ length: 20 }, (_, i) => hands.receive('x', i % 2 === 0, 1000 + i * 50));
  assert.equal(changes.filter(c => c !== null).length, 20, 'every change applied');
  assert.equal(hands.isRaised('x'), false, 'the last message (lowered) wins');
  assert.equal(changes.filter(c => c?.announce).length, 3, 'announcements: the burst of 3, then at most one per 2 s');
  assert.equal(hands.receive('x', true, 1000 + 20 * 50 + 2000)?.announce, true, 'announced again after a pause');
});

test('hands: the number of raised hands is bounded', () => {
  const hands = new RaisedHands(2);
  hands.receive('a', true);
  hands.receive('b', true);
  assert.equal(hands.receive('c', true), null);
  assert.deepEqual(hands.queue(), ['a', 'b']);
});

test('hands: ours is sent on change and repeated to newcomers only while up', () => {
  const hands = new RaisedHands();
  assert.equal(hands.forNewcomer(), null);
  assert.deepEqual(hands.setMine(true), { type: 'hand', raised: true });
  assert.equal(hands.setMine(true), null);
  assert.deepEqual(hands.forNewcomer(), { type: 'hand', raised: true });
  assert.deepEqual(hands.setMine(false), { type: 'hand', raised: false });
  assert.equal(hands.forNewcomer(), null);
});

test('reactions: shown on the sender tile until they expire, then the host is told once', async () => {
  let expired = 0;
  let resolveExpired!: () => void;
  const gone = new Promise<void>(resolve => (resolveExpired = resolve));
  const reactions = new Reactions(() => {
    expired++;
    resolveExpired();
  }, 40);
  const shown = reactions.receive('a', 'clap');
  assert.equal(shown?.reaction, 'clap');
  assert.equal(reactions.showing('a'), 'clap');
  assert.equal(reactions.showing('b'), null);
  await gone;
  assert.equal(reactions.showing('a'), null);
  assert.equal(expired, 1);
  reactions.clear();
});

test('reactions: a newer one replaces the older on the same tile', () => {
  const reactions = new Reactions(() => {}, 10_000);
  reactions.receive('a', 'clap', 1000);
  reactions.receive('a', 'heart', 1500);
  assert.equal(reactions.showing('a', 2000), 'heart');
  assert.equal(reactions.showing('a', 1500 + 10_000), null);
  reactions.clear();
});

test('reactions: each sender is limited, without affecting others', () => {
  const reactions = new Reactions(() => {}, 10_000);
  const fromX = Array.from({ length: 10 }, (_, i) => reactions.receive('x', 'party', 1000 + i));
  assert.equal(fromX.filter(Boolean).length, 4, 'a burst of 4, then 1 a second');
  assert.ok(reactions.receive('y', 'party', 1010), 'another sender is not limited by x');
  assert.ok(reactions.receive('x', 'party', 2100), 'x again after a second');
  reactions.clear();
});

test('reactions: we send slower than receivers accept, so ours are never dropped', () => {
  const mine = new Reactions(() => {}, 10_000);
  const theirs = new Reactions(() => {}, 10_000);
  let sent = 0;
  for (let t = 0; t < 20_000; t += 100) {
    const message = mine.send('clap', 1000 + t);
    if (!message) continue;
    sent++;
    assert.deepEqual(message, { type: 'reaction', reaction: 'clap' });
    assert.ok(theirs.receive('me', message.reaction, 1000 + t), `accepted at ${t} ms`);
  }
  assert.ok(sent >= 3 && sent <= 3 + 20 / 2 + 1, `sent ${sent}`);
  mine.clear();
  theirs.clear();
});
