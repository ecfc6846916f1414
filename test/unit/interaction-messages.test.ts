// Raised hands, reactions and quality reports as peers send them: parsed by the one
// validating parser (messages.ts), hostile shapes refused, only schema fields read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  handMessage,
  isReactionKey,
  parseInteractionMessage,
  qualityMessage,
  REACTION_EMOJI,
  REACTION_KEYS,
  reactionMessage,
} from '../../src/protocol/interaction-messages.ts';
import { MAX_MESSAGE_CHARS, parsePeerMessage } from '../../src/protocol/messages.ts';

test('what we send parses back unchanged', () => {
  for (const message of [handMessage(true), handMessage(false), qualityMessage('poor'), ...REACTION_KEYS.map(reactionMessage)])
    assert.deepEqual(parseInteractionMessage(JSON.parse(JSON.stringify(message))), message);
});

test('every reaction key has a glyph, and nothing else does', () => {
  assert.deepEqual(Object.keys(REACTION_EMOJI).sort(), [...REACTION_KEYS].sort());
  for (const key of REACTION_KEYS) assert.ok(REACTION_EMOJI[key].length > 0 && isReactionKey(key));
  assert.equal(isReactionKey('toString'), false);
});

test('spoofed sender fields and extra fields are never read', () => {
  const spoof = { from: 'someone-else', peerId: 'someone-else', senderPeerId: 'x', username: 'Admin', html: '<b>hi</b>' };
  assert.deepEqual(parsePeerMessage({ type: 'hand', raised: true, ...spoof }), { type: 'hand', raised: true });
  assert.deepEqual(parsePeerMessage({ type: 'reaction', reaction: 'clap', emoji: '<script>', ...spoof }), { type: 'reaction', reaction: 'clap' });
  assert.deepEqual(parsePeerMessage({ type: 'quality', level: 'fair', reasons: ['x'], ...spoof }), { type: 'quality', level: 'fair' });
});

test('hostile shapes are refused whole', () => {
  for (const bad of [
    { type: 'hand' },
    { type: 'hand', raised: 'true' },
    { type: 'hand', raised: 1 },
    { type: 'hand', raised: null },
    { type: 'hand', raised: [true] },
    { type: 'reaction' },
    { type: 'reaction', reaction: '\u{1F44D}' }, // the glyph itself: only keys travel
    { type: 'reaction', reaction: 'poop' },
    { type: 'reaction', reaction: 'CLAP' },
    { type: 'reaction', reaction: 'clap ' },
    { type: 'reaction', reaction: ['clap'] },
    { type: 'reaction', reaction: { toString: () => 'clap' } },
    { type: 'reaction', reaction: 'toString' },
    { type: 'reaction', reaction: '__proto__' },
    { type: 'reaction', reaction: 'x'.repeat(10_000) },
    { type: 'quality', level: 'excellent' },
    { type: 'quality', level: 0 },
    { type: 'quality' },
    { type: 'hand', raised: true, padding: 'x'.repeat(MAX_MESSAGE_CHARS) }, // oversized: dropped unread
    { type: 'reaction', reaction: 'clap', padding: 'x'.repeat(MAX_MESSAGE_CHARS) },
  ])
    assert.equal(parseInteractionMessage(bad), null, JSON.stringify(bad).slice(0, 80));
  assert.equal(parseInteractionMessage(JSON.parse('{"type":"hand","__proto__":{"raised":true}}')), null, 'inherited fields are not sent fields');
  for (const notOurs of [null, 'hand', ['hand'], { type: 'chat', text: 'hi' }, { type: 'state', audio: true, video: true, screen: false }])
    assert.equal(parseInteractionMessage(notOurs), null);
});

test('the one parser keeps each type apart: the new types come out as themselves, chat and state unchanged', () => {
  assert.deepEqual(parsePeerMessage({ type: 'hand', raised: true }), { type: 'hand', raised: true });
  assert.deepEqual(parsePeerMessage({ type: 'reaction', reaction: 'clap' }), { type: 'reaction', reaction: 'clap' });
  assert.deepEqual(parsePeerMessage({ type: 'chat', text: 'hi' }), { type: 'chat', text: 'hi' });
  assert.equal(parsePeerMessage({ type: 'hand', raised: 'yes' }), null);
});
