// Leaks: 50 join/leave cycles of the element, the way a site mounts and unmounts it
// (a fresh <metered-call autojoin> appended, in the call with remote video, removed),
// against a partner element that stays in the room. Read through the Chrome DevTools
// Protocol after forced GCs: live RTCPeerConnections and MediaStreamTracks (queryObjects),
// DOM nodes, event listeners, documents, JS heap.
import type { CDPSession } from 'playwright-core';
import type { Ctx } from '../lib/ctx.ts';
import { openParticipant, type Participant } from '../lib/browser.ts';
import { waitDecoded, waitMarks } from '../lib/call.ts';
import { seat, uniqueRoom } from '../lib/contenders.ts';
import type { Result } from '../lib/results.ts';
import { retainingPaths } from '../lib/retainers.ts';

async function countObjects(s: CDPSession, proto: string, liveTest: string) {
  const { result: p } = await s.send('Runtime.evaluate', { expression: `${proto}.prototype` });
  const { objects } = await s.send('Runtime.queryObjects', { prototypeObjectId: p.objectId! });
  const { result } = await s.send('Runtime.callFunctionOn', {
    objectId: objects.objectId!, returnByValue: true,
    functionDeclaration: `function () { return [this.length, this.filter(o => ${liveTest}).length]; }`,
  });
  await s.send('Runtime.releaseObject', { objectId: objects.objectId! });
  await s.send('Runtime.releaseObject', { objectId: p.objectId! });
  const [all, live] = result.value as [number, number];
  return { all, live };
}

interface Sample {
  cycle: number; heap: number; nodes: number; listeners: number; documents: number;
  pcs: number; livePcs: number; tracks: number; liveTracks: number; blinkPcs: number;
}

async function sample(s: CDPSession, cycle: number): Promise<Sample> {
  for (let i = 0; i < 3; i++) await s.send('HeapProfiler.collectGarbage');
  const pcs = await countObjects(s, 'RTCPeerConnection', `o.connectionState !== 'closed'`);
  const tracks = await countObjects(s, 'MediaStreamTrack', `o.readyState === 'live'`);
  const dom = await s.send('Memory.getDOMCounters');
  const { metrics } = await s.send('Performance.getMetrics');
  const m = Object.fromEntries(metrics.map(x => [x.name, x.value]));
  const heap = (await s.send('Runtime.getHeapUsage')).usedSize;
  return {
    cycle, heap, nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents,
    pcs: pcs.all, livePcs: pcs.live, tracks: tracks.all, liveTracks: tracks.live, blinkPcs: m.RTCPeerConnections ?? NaN,
  };
}

type LeakWindow = { __bench: { reset(): void; mark(k: string): void } };

export async function leaks(ctx: Ctx): Promise<Result[]> {
  if (!ctx.contenders.includes('a')) { ctx.log('leaks: skipped, no element build'); return []; }
  const cycles = ctx.n ?? (ctx.quick ? 10 : 50);
  const browser = await ctx.browser();
  const room = uniqueRoom('leaks');
  const partner = await openParticipant(browser);
  const subject: Participant = await openParticipant(browser);
  const out: Result[] = [];
  try {
    await partner.goto(seat('a', ctx.env, room, 0).url);
    if (!(await waitMarks(partner, ['joined', 'gum-done'], 15000))) throw new Error('partner did not join');
    const s = await subject.cdp();
    await s.send('Performance.enable');
    // the subject page starts with the element on it (cycle 1); later cycles append a clone
    await subject.goto(seat('a', ctx.env, room, 1).url);
    await subject.page.waitForLoadState('load');
    await subject.page.evaluate(() => {
      const el = document.querySelector('metered-call')!;
      (window as unknown as { __tmpl: Element }).__tmpl = el.cloneNode() as Element;
    });
    const before = await sample(s, 0); // page loaded, element already joining: the cold baseline is only reported
    const samples: Sample[] = [];
    let failed = 0;
    for (let cycle = 1; cycle <= cycles; cycle++) {
      if (cycle > 1) {
        await subject.page.evaluate(() => {
          (window as unknown as LeakWindow).__bench.reset();
          document.body.append((window as unknown as { __tmpl: Element }).__tmpl.cloneNode());
        });
      }
      const ok = await waitDecoded(subject, 1, 10000);
      if (!ok) failed++;
      await subject.page.evaluate(() => {
        const bench = (window as unknown as LeakWindow).__bench;
        bench.reset();
        const el = document.querySelector('metered-call');
        // a removed element's events no longer reach window: listen on the element itself
        el?.addEventListener('left', () => bench.mark('event-left'), { once: true });
        el?.remove();
      });
      // leaving is done when the element says so (or the partner saw us go)
      await waitMarks(subject, ['event-left'], 5000);
      if (cycle === 1 || cycle % 10 === 0 || cycle === cycles) {
        samples.push(await sample(s, cycle));
        ctx.log(`  leaks cycle ${cycle}/${cycles}: ${JSON.stringify(samples.at(-1))}`);
      }
    }
    const base = samples[0]!, last = samples.at(-1)!;
    const span = last.cycle - base.cycle || 1;
    const growth = (k: keyof Sample) => last[k] - base[k];
    const row = (figure: string, k: keyof Sample, unit = 'growth') => {
      out.push({
        scenario: 'leaks', figure: `${figure} after ${cycles} join/leave cycles (cycle 1 → ${cycles}, after GC)`, contender: 'a', unit,
        n: samples.length, median: growth(k), p95: null, ratios: {}, goal: 'zero growth', met: growth(k) <= 0,
        samples: samples.map(x => x[k]), extra: { before: before[k], afterCycle1: base[k], after: last[k] },
      });
    };
    row('RTCPeerConnection objects', 'pcs');
    row('open RTCPeerConnections', 'livePcs');
    row('MediaStreamTrack objects', 'tracks');
    row('live MediaStreamTracks', 'liveTracks');
    row('DOM nodes', 'nodes');
    row('JS event listeners', 'listeners');
    row('documents', 'documents');
    // heap: a GC'd heap moves by some KB between samples (compiled code, caches);
    // growth counts when the trend over the cycles exceeds 1 KB per cycle
    const perCycle = slope(samples.map(x => [x.cycle, x.heap]));
    out.push({
      scenario: 'leaks', figure: `JS heap after GC, trend per join/leave cycle (cycle 1 → ${cycles}: ${fmtKb(base.heap)} → ${fmtKb(last.heap)})`,
      contender: 'a', unit: 'B', n: samples.length, median: perCycle, p95: null, ratios: {},
      goal: 'zero growth (trend < 1 KB/cycle)', met: perCycle < 1024, samples: samples.map(x => x.heap),
      extra: { before: before.heap, afterCycle1: base.heap, after: last.heap, span },
    });
    if (growth('nodes') > 0) {
      // what keeps removed elements alive (the __tmpl clone the bench holds is left out)
      await subject.page.evaluate(() => { delete (window as unknown as { __tmpl?: Element }).__tmpl; });
      const paths = await retainingPaths(s, n => n.startsWith('<metered-call'), 2).catch(err => [[`snapshot failed: ${err}`]]);
      ctx.report['leaks-retainers'] = paths;
      for (const p of paths) ctx.log(`  retained <metered-call>:\n    ${p.join('\n    ')}`);
    }
    out.push({ scenario: 'leaks', figure: 'cycles without remote video within 10 s', contender: 'a', unit: 'runs', n: cycles, median: failed, p95: null, ratios: {} });
    ctx.report['leaks-samples'] = { before, samples };
  } finally {
    await Promise.all([subject.close(), partner.close()]);
  }
  return out;
}

const fmtKb = (b: number) => `${(b / 1024).toFixed(0)} KB`;

/** least-squares slope of y over x */
function slope(pts: [number, number][]): number {
  if (pts.length < 2) return 0;
  const n = pts.length, mx = pts.reduce((s, p) => s + p[0], 0) / n, my = pts.reduce((s, p) => s + p[1], 0) / n;
  const num = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0), den = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  return den ? num / den : 0;
}
