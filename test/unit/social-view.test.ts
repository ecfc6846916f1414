// What a tile says of a connection (ui/social.ts `qualityOf`): what we measure, or the
// participant's own report when that is worse, with the reasons as words for the title.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from '../../src/i18n/en.ts';
import { qualityOf } from '../../src/ui/social.ts';

describe('connection quality on a tile', () => {
  test('nothing before anything is measured or reported', () => {
    assert.deepEqual(qualityOf(null, undefined, en), { quality: null, qualityTitle: '' });
  });

  test('the measured level, its reasons (worst first, with figures) in the title', () => {
    const measured = {
      level: 'poor' as const,
      reasons: [
        { metric: 'round-trip-time' as const, level: 'poor' as const, value: 812, unit: 'ms' as const },
        { metric: 'packet-loss-in' as const, level: 'fair' as const, value: 4, unit: '%' as const },
      ],
    };
    assert.deepEqual(qualityOf(measured, undefined, en), { quality: 'poor', qualityTitle: 'Poor connection: Delay 812 ms, Loss receiving 4 %' });
    assert.deepEqual(qualityOf({ level: 'good', reasons: [] }, undefined, en), { quality: 'good', qualityTitle: 'Good connection' });
  });

  test('their own report wins only when worse, and says it is their network', () => {
    assert.deepEqual(qualityOf({ level: 'good', reasons: [] }, 'poor', en), { quality: 'poor', qualityTitle: 'Poor connection: Their network' });
    assert.deepEqual(qualityOf(null, 'fair', en), { quality: 'fair', qualityTitle: 'Fair connection: Their network' });
    const fair = { level: 'fair' as const, reasons: [{ metric: 'bitrate-out' as const, level: 'fair' as const, value: 180, unit: 'kbit/s' as const }] };
    assert.deepEqual(qualityOf(fair, 'good', en), { quality: 'fair', qualityTitle: 'Fair connection: Upload bandwidth 180 kbit/s' });
    assert.deepEqual(qualityOf(fair, 'fair', en), { quality: 'fair', qualityTitle: 'Fair connection: Upload bandwidth 180 kbit/s' });
  });
});
