// Connection quality from getStats() figures: reading reports (fake reports in the shape
// Chromium and Firefox give, built here), judging them with reasons as data, hysteresis,
// and the monitor's one timer, paused while the tab is hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSample, type StatsSample } from '../../src/call/stats-sample.ts';
import { judge, QualityTracker, type QualityReport } from '../../src/call/connection-quality.ts';
import { QualityMonitor, type StatsSource, type VisibilitySource } from '../../src/call/quality-monitor.ts';

/** A fake getStats() report in Chromium's shape, with cumulative counters at `t` seconds of a call. */
function chromiumReport(o: { t: number; rtt?: number; outBps?: number; lossIn?: number; lossOut?: number; dropped?: number; videoOut?: boolean }) {
  const received = 100 * o.t; // packets/s, audio and video together
  const lost = Math.round(received * (o.lossIn ?? 0));
  const frames = 30 * o.t;
  const entries: Record<string, unknown>[] = [
    { id: 'T01', type: 'transport', selectedCandidatePairId: 'CP1' },
    { id: 'CP0', type: 'candidate-pair', state: 'failed', currentRoundTripTime: 9 },
    { id: 'CP1', type: 'candidate-pair', state: 'succeeded', nominated: true, currentRoundTripTime: o.rtt ?? 0.02, availableOutgoingBitrate: o.outBps ?? 2_000_000 },
    { id: 'IA', type: 'inbound-rtp', kind: 'audio', packetsReceived: (received - lost) * 0.5, packetsLost: lost * 0.5 },
    { id: 'IV', type: 'inbound-rtp', kind: 'video', packetsReceived: (received - lost) * 0.5, packetsLost: lost * 0.5, framesReceived: frames, framesDropped: Math.round(frames * (o.dropped ?? 0)), bytesReceived: 100_000 * o.t },
    { id: 'OV', type: 'outbound-rtp', kind: 'video', bytesSent: o.videoOut === false ? 0 : 120_000 * o.t },
    { id: 'RIA', type: 'remote-inbound-rtp', kind: 'audio', fractionLost: o.lossOut ?? 0, roundTripTime: o.rtt ?? 0.02 },
    { id: 'RIV', type: 'remote-inbound-rtp', kind: 'video', fractionLost: (o.lossOut ?? 0) / 2, roundTripTime: o.rtt ?? 0.02 },
  ];
  return new Map(entries.map(e => [e.id, e])) as unknown as { forEach(cb: (s: Record<string, unknown>) => void): void };
}

/** Firefox's shape: no transport entry, the pair marked `selected`, no RTT or bitrate on it. */
function firefoxReport(t: number, rtt: number) {
  const entries: Record<string, unknown>[] = [
    { id: 'p', type: 'candidate-pair', state: 'succeeded', nominated: true, selected: true },
    { id: 'i', type: 'inbound-rtp', kind: 'video', packetsReceived: 50 * t, packetsLost: 0, framesReceived: 30 * t, framesDropped: 0, bytesReceived: 1000 * t },
    { id: 'r', type: 'remote-inbound-rtp', kind: 'video', roundTripTime: rtt, fractionLost: 0 },
  ];
  return new Map(entries.map(e => [e.id, e])) as unknown as { forEach(cb: (s: Record<string, unknown>) => void): void };
}

test('a report is read: RTT and bitrate of the selected pair, loss and drops over the interval', () => {
  const first = readSample(chromiumReport({ t: 10, rtt: 0.12, outBps: 800_000, lossIn: 0.05, dropped: 0.2 }), null);
  assert.equal(first.sample.rttMs, 120, 'the selected pair, not the failed one');
  assert.equal(first.sample.bitrateOutKbps, 800);
  assert.equal(first.sample.lossIn, undefined, 'counters need a previous report');
  assert.equal(first.sample.lossOut, 0);
  const second = readSample(chromiumReport({ t: 12, rtt: 0.12, outBps: 800_000, lossIn: 0.05, dropped: 0.2 }), first.counters);
  assert.ok(Math.abs(second.sample.lossIn! - 0.05) < 0.01, `loss ${second.sample.lossIn}`);
  assert.ok(Math.abs(second.sample.framesDropped! - 0.2) < 0.02, `dropped ${second.sample.framesDropped}`);
  assert.equal(second.sample.sendingVideo, true);
  assert.equal(second.sample.receivingVideo, true);
});

test("Firefox's report: the RTT comes from RTCP when the pair has none", () => {
  const { sample } = readSample(firefoxReport(5, 0.04), null);
  assert.equal(sample.rttMs, 40);
  assert.equal(sample.bitrateOutKbps, undefined, 'not reported, not guessed');
});

test('too few packets say nothing about loss', () => {
  const a = readSample(chromiumReport({ t: 0.05, lossIn: 0.5 }), null);
  const b = readSample(chromiumReport({ t: 0.1, lossIn: 0.5 }), a.counters);
  assert.equal(b.sample.lossIn, undefined);
});

const good: StatsSample = { rttMs: 30, lossIn: 0, lossOut: 0, bitrateOutKbps: 1500, framesDropped: 0, sendingVideo: true, receivingVideo: true };

test('good, fair and poor, each with its reasons as data, worst first', () => {
  assert.deepEqual(judge(good), { level: 'good', reasons: [] });
  assert.deepEqual(judge({ ...good, rttMs: 420 }), { level: 'fair', reasons: [{ metric: 'round-trip-time', level: 'fair', value: 420, unit: 'ms' }] });
  const bad = judge({ ...good, rttMs: 400, lossIn: 0.12, framesDropped: 0.15 });
  assert.equal(bad.level, 'poor');
  assert.deepEqual(
    bad.reasons.map(r => [r.metric, r.level, r.value]),
    [['packet-loss-in', 'poor', 12], ['round-trip-time', 'fair', 400], ['frames-dropped', 'fair', 15]],
  );
  assert.deepEqual(judge({ ...good, bitrateOutKbps: 80 }).reasons, [{ metric: 'bitrate-out', level: 'poor', value: 80, unit: 'kbit/s' }]);
  assert.equal(judge({ ...good, bitrateOutKbps: 80, sendingVideo: false }).level, 'good', 'audio alone needs far less');
});

test('our upload is judged on what we send only', () => {
  assert.equal(judge({ ...good, lossIn: 0.5, framesDropped: 0.5 }, null, 'upload').level, 'good');
  assert.equal(judge({ ...good, lossOut: 0.2 }, null, 'upload').level, 'poor');
});

test('a level once reached is left only when the figure is clearly back', () => {
  assert.equal(judge({ ...good, rttMs: 280 }, 'good').level, 'good');
  assert.equal(judge({ ...good, rttMs: 280 }, 'fair').level, 'fair', 'just under the limit: still fair');
  assert.equal(judge({ ...good, rttMs: 200 }, 'fair').level, 'good');
  assert.equal(judge({ ...good, bitrateOutKbps: 270 }, 'fair').level, 'fair', 'bitrate: relaxed upwards');
});

test('the tracker needs 2 worse samples in a row to worsen, 3 better to improve; one odd sample changes nothing', () => {
  const tracker = new QualityTracker();
  const at = (level: QualityReport['level']): QualityReport => ({ level, reasons: level === 'good' ? [] : [{ metric: 'round-trip-time', level, value: 1, unit: 'ms' }] });
  assert.equal(tracker.update(at('good')), true, 'the first judgement is shown at once');
  const shown = ['poor', 'good', 'poor', 'poor', 'good', 'good', 'fair', 'good', 'good', 'good'].map(level => {
    tracker.update(at(level as QualityReport['level']));
    return tracker.level;
  });
  assert.deepEqual(shown, ['good', 'good', 'good', 'poor', 'poor', 'poor', 'poor', 'poor', 'poor', 'good']);
});

/** A document whose visibility the test sets. */
class FakeVisibility implements VisibilitySource {
  hidden = false;
  private listeners = new Set<() => void>();
  addEventListener(_: 'visibilitychange', l: () => void) {
    this.listeners.add(l);
  }
  removeEventListener(_: 'visibilitychange', l: () => void) {
    this.listeners.delete(l);
  }
  set(hidden: boolean) {
    this.hidden = hidden;
    for (const l of this.listeners) l();
  }
  get listening() {
    return this.listeners.size;
  }
}

/** A connection replaying fake reports, counting getStats calls. */
function fakeConnection(report: (call: number) => ReturnType<typeof chromiumReport>): StatsSource & { calls: number } {
  const source = {
    calls: 0,
    connectionState: 'connected',
    getStats: async () => report(source.calls++),
  };
  return source;
}

test('the monitor reports each peer and our upload, drops departed peers, and starts over on a fresh connection', async () => {
  const changes: [string | null, string][] = [];
  const a = fakeConnection(n => chromiumReport({ t: 2 * (n + 1) }));
  const b = fakeConnection(n => chromiumReport({ t: 2 * (n + 1), lossIn: 0.2 }));
  const connections = new Map<string, StatsSource>([['a', a], ['b', b]]);
  const monitor = new QualityMonitor({ connections: () => connections, onChange: (id, r) => changes.push([id, r.level]), visibility: new FakeVisibility() });
  await monitor.tick();
  assert.deepEqual(changes, [['a', 'good'], ['b', 'good'], [null, 'good']], 'first reports: no loss figure yet');
  await monitor.tick();
  await monitor.tick();
  assert.deepEqual(changes.slice(3), [['b', 'poor']], 'b loses 20 % of what it sends us: poor after two samples; our upload stays good');
  assert.equal(monitor.get('b')?.reasons[0]?.metric, 'packet-loss-in');
  connections.delete('a');
  await monitor.tick();
  assert.equal(monitor.get('a'), null, 'gone with its peer');
  const fresh = fakeConnection(() => chromiumReport({ t: 1 }));
  connections.set('b', fresh);
  await monitor.tick();
  assert.equal(monitor.get('b')?.level, 'poor', 'a repaired connection keeps the shown level until its own figures move it');
  monitor.stop();
});

test('our upload is poor only when every connection says so', async () => {
  const changes: [string | null, string][] = [];
  const weak = (n: number) => chromiumReport({ t: 2 * (n + 1), lossOut: 0.2 });
  const connections = new Map<string, StatsSource>([['a', fakeConnection(weak)], ['b', fakeConnection(n => chromiumReport({ t: 2 * (n + 1) }))]]);
  const monitor = new QualityMonitor({ connections: () => connections, onChange: (id, r) => changes.push([id, r.level]), visibility: new FakeVisibility() });
  for (let i = 0; i < 3; i++) await monitor.tick();
  assert.equal(monitor.get(null)?.level, 'good', 'only a is hurt: its side');
  connections.set('b', fakeConnection(weak));
  for (let i = 0; i < 3; i++) await monitor.tick();
  assert.equal(monitor.get(null)?.level, 'poor');
  assert.deepEqual(monitor.get(null)?.reasons.map(r => r.metric), ['packet-loss-out']);
  monitor.stop();
});

test('one timer for all connections, stopped while the tab is hidden and after stop()', async t => {
  t.mock.timers.enable({ apis: ['setTimeout'] }); // the clock moves only when the test says
  const settle = () => new Promise<void>(r => setImmediate(r)); // getStats and the tick's awaits
  const visibility = new FakeVisibility();
  const a = fakeConnection(n => chromiumReport({ t: n + 1 }));
  const b = fakeConnection(n => chromiumReport({ t: n + 1 }));
  const monitor = new QualityMonitor({ connections: () => [['a', a], ['b', b]], onChange: () => {}, intervalMs: 1000, visibility });
  monitor.start();
  t.mock.timers.tick(0);
  await settle();
  assert.deepEqual([a.calls, b.calls], [1, 1], 'both read on the same tick');
  t.mock.timers.tick(1000);
  await settle();
  assert.deepEqual([a.calls, b.calls], [2, 2]);
  visibility.set(true);
  t.mock.timers.tick(60_000);
  await settle();
  assert.equal(a.calls, 2, 'nothing read while hidden');
  visibility.set(false);
  t.mock.timers.tick(0);
  await settle();
  assert.equal(a.calls, 3, 'read again at once when visible');
  monitor.stop();
  t.mock.timers.tick(60_000);
  await settle();
  assert.equal(a.calls, 3, 'nothing read after stop()');
  assert.equal(visibility.listening, 0, 'stop() leaves no listener');
});
