// The `view` peer message: validation of what others send, and our rate-limited sending.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseViewMessage, viewMessage, ViewSender } from '../../src/protocol/view-messages.ts';
import { parsePeerMessage } from '../../src/protocol/messages.ts';

test('a well-formed view parses; only its own fields come through', () => {
  const m = parseViewMessage({ type: 'view', hidden: ['a-1', 'b_2'], from: 'spoof' });
  assert.deepEqual(m, { type: 'view', hidden: ['a-1', 'b_2'] });
  assert.deepEqual(parseViewMessage({ type: 'view', hidden: [] }), { type: 'view', hidden: [] });
});

test('malformed views are refused whole', () => {
  for (const bad of [
    { type: 'view' },
    { type: 'view', hidden: 'a' },
    { type: 'view', hidden: [1] },
    { type: 'view', hidden: [''] },
    { type: 'view', hidden: ['<img src=x>'] },
    { type: 'view', hidden: ['x'.repeat(129)] },
    { type: 'view', hidden: Array.from({ length: 65 }, (_, i) => `p${i}`) },
    { type: 'view', hidden: [{ toString: () => 'a' }] },
  ]) assert.equal(parseViewMessage(bad), null, JSON.stringify(bad).slice(0, 80));
  assert.equal(parseViewMessage({ type: 'state', audio: true, video: true, screen: false }), null, 'other types are not views');
  assert.equal(parsePeerMessage({ type: 'view', hidden: ['a'] })?.type, 'view', 'the one parser knows the type');
});

test('our message is sorted, deduplicated and bounded', () => {
  assert.deepEqual(viewMessage(['b', 'a', 'b']).hidden, ['a', 'b']);
  assert.equal(viewMessage(Array.from({ length: 100 }, (_, i) => `p${i}`)).hidden.length, 64);
});

test('the sender sends changes only, at most once per interval, the latest view winning', async () => {
  const sent: string[][] = [];
  let now = 0;
  const sender = new ViewSender(m => sent.push(m.hidden), 50, () => now);
  sender.update([]);
  assert.equal(sent.length, 0, 'nothing hidden at first: nothing to say');
  sender.update(['a']);
  assert.deepEqual(sent, [['a']]);
  sender.update(['a']);
  assert.equal(sent.length, 1, 'unchanged: not sent again');
  now = 10;
  sender.update(['a', 'b']);
  sender.update(['b']);
  assert.equal(sent.length, 1, 'within the interval: held');
  await new Promise<void>(resolve => {
    const check = setInterval(() => { if (sent.length === 2) { clearInterval(check); resolve(); } }, 5);
  });
  assert.deepEqual(sent[1], ['b'], 'the latest view, once');
  now = 1000;
  sender.repeat();
  assert.deepEqual(sent[2], ['b'], 'repeated for a newcomer');
  sender.reset();
  sender.update([]);
  assert.equal(sent.length, 3, 'after a reset, an empty view says nothing');
});
