// The new interaction events go out like the others: bubbling, composed, typed details.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emit, type MeteredCallEventDetails } from '../../src/events.ts';

test('hand-raised, reaction and quality-change bubble and cross shadow roots, with their detail', () => {
  const details: { [K in 'hand-raised' | 'reaction' | 'quality-change']: MeteredCallEventDetails[K] } = {
    'hand-raised': { peerId: 'p1', raised: true, self: false },
    reaction: { peerId: 'p1', reaction: 'clap', emoji: '\u{1F44F}', self: true },
    'quality-change': { peerId: 'p2', quality: 'fair', reasons: [{ metric: 'round-trip-time', level: 'fair', value: 420, unit: 'ms' }], self: false },
  };
  for (const [type, detail] of Object.entries(details) as [keyof typeof details, never][]) {
    const target = new EventTarget();
    let heard: CustomEvent | null = null;
    target.addEventListener(type, e => (heard = e as CustomEvent));
    emit(target, type, detail);
    assert.ok(heard, type);
    const event = heard as CustomEvent;
    assert.equal(event.bubbles, true, `${type} bubbles`);
    assert.equal(event.composed, true, `${type} is composed`);
    assert.deepEqual(event.detail, detail);
  }
});
