// The roster (src/call/roster.ts): seats up to max-peers (us included), a waiting list in
// arrival order, names bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_KNOWN_NAMES, Roster } from '../../src/call/roster.ts';

const peer = (id: string, state = 'connecting') => ({ id, state });

describe('Roster', () => {
  it('seats peers until max-peers (us included), then keeps the rest waiting without a tile', () => {
    const r = new Roster();
    r.configure(3, () => false);
    assert.ok(r.seat(peer('a')));
    assert.ok(r.seat(peer('b')));
    assert.equal(r.seat(peer('c')), null);
    assert.deepEqual([...r.tiles.keys()], ['a', 'b']);
  });

  it('a seat freed goes to the longest-waiting peer still there', () => {
    const r = new Roster();
    r.configure(2, () => false);
    r.seat(peer('a'));
    r.seat(peer('gone', 'closed'));
    r.seat(peer('c'));
    assert.equal(r.remove('a'), true);
    assert.equal(r.nextWaiting()?.id, 'c');
    assert.equal(r.remove('never-seated'), false);
  });

  it('nobody is seated while the room refuses us', () => {
    const r = new Roster();
    r.configure(8, () => true);
    assert.equal(r.seat(peer('a')), null);
    assert.equal(r.nextWaiting(), null);
  });

  it('names: unchanged names report no change; at most MAX_KNOWN_NAMES are kept', () => {
    const r = new Roster();
    assert.equal(r.setName('a', 'Ann'), true);
    assert.equal(r.setName('a', 'Ann'), false);
    for (let i = 1; i < MAX_KNOWN_NAMES; i++) r.setName(`p${i}`, 'x');
    assert.equal(r.setName('one-too-many', 'y'), false);
    assert.equal(r.setName('a', 'Anna'), true, 'a known peer may still rename');
  });
});
