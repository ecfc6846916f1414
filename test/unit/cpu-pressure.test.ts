// CPU pressure → quality steps: the Compute Pressure states and the encoder-stats fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuLimited, EncoderPressure, stepsForPressure, DOWN_AFTER, UP_AFTER } from '../../src/call/cpu-pressure.ts';

test('Compute Pressure states map to steps', () => {
  assert.deepEqual(['nominal', 'fair', 'serious', 'critical'].map(stepsForPressure), [0, 0, 1, 2]);
});

test('outbound video limited by CPU is recognised; bandwidth limits and audio are not', () => {
  assert.equal(cpuLimited([{ type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'cpu' }]), true);
  assert.equal(cpuLimited([{ type: 'outbound-rtp', kind: 'video', qualityLimitationReason: 'bandwidth' }]), false);
  assert.equal(cpuLimited([{ type: 'outbound-rtp', kind: 'audio', qualityLimitationReason: 'cpu' }]), false);
  assert.equal(cpuLimited([]), false);
});

test('the fallback steps down after consecutive CPU-limited samples, up only after a longer calm', () => {
  const p = new EncoderPressure();
  assert.equal(p.sample(true), 0, 'one sample is not enough');
  assert.equal(p.sample(true), 1);
  for (let i = 0; i < DOWN_AFTER; i++) p.sample(true);
  assert.equal(p.steps, 2);
  for (let i = 0; i < DOWN_AFTER * 3; i++) p.sample(true);
  assert.equal(p.steps, 2, 'at most two steps');
  for (let i = 0; i < UP_AFTER - 1; i++) p.sample(false);
  assert.equal(p.steps, 2, 'not up before the calm is long enough');
  p.sample(false);
  assert.equal(p.steps, 1);
  p.sample(true);
  for (let i = 0; i < UP_AFTER - 1; i++) p.sample(false);
  assert.equal(p.steps, 1, 'a CPU-limited sample restarts the calm');
});
