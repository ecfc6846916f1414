// Elapsed call time, formatted per locale (Node has no Intl.DurationFormat: this is the
// fallback; test/call-features.test.ts covers the browsers' DurationFormat), and the
// timer that ticks on whole seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallTimer, formatElapsed } from '../../src/call/call-timer.ts';

test('m:ss under an hour, h:mm:ss after, never negative', () => {
  assert.equal(formatElapsed(0, 'en'), '0:00');
  assert.equal(formatElapsed(65_999, 'en'), '1:05');
  assert.equal(formatElapsed(3_723_000, 'en'), '1:02:03');
  assert.equal(formatElapsed(-5000, 'en'), '0:00');
});

test("the locale's own digits; an unknown locale falls back instead of throwing", () => {
  assert.equal(formatElapsed(3_723_000, 'ar-EG'), '\u0661:\u0660\u0662:\u0660\u0663');
  assert.equal(formatElapsed(65_000, 'not a locale!'), '1:05');
});

test('the timer ticks on whole seconds of the call and stops', async t => {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 10_000 });
  let ticks = 0;
  const timer = new CallTimer(() => ticks++);
  timer.start(9_700); // joined 300 ms ago: the first whole second is 700 ms away
  t.mock.timers.tick(699);
  assert.equal(ticks, 0);
  t.mock.timers.tick(1);
  assert.equal(ticks, 1);
  assert.equal(formatElapsed(timer.elapsed()), '0:01');
  for (let i = 0; i < 3; i++) t.mock.timers.tick(1000); // Node 20's mock runs one timer generation per tick()
  assert.equal(ticks, 4);
  assert.equal(formatElapsed(timer.elapsed()), '0:04');
  timer.stop();
  t.mock.timers.tick(5000);
  assert.equal(ticks, 4);
  assert.equal(timer.elapsed(), 0);
});
