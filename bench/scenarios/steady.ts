// Steady state: a 2-party call held for 60 s (10 s with --quick), measured in 10 s slices:
// CPU time of the two pages' renderer processes and of the whole browser, JS heap,
// frames decoded per second and frames dropped, element against the plain SDK page.
import type { CDPSession } from 'playwright-core';
import type { Ctx } from '../lib/ctx.ts';
import { twoParty } from '../lib/call.ts';
import { browserCpu, sleep, type Participant, type RtcStats } from '../lib/browser.ts';
import { cpuDelta } from '../lib/procs.ts';
import { CONTENDERS, type ContenderId } from '../lib/contenders.ts';
import { summarize, addRatios, type Result } from '../lib/results.ts';

async function metrics(s: CDPSession) {
  const { metrics } = await s.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map(m => [m.name, m.value])) as Record<string, number>;
}

async function heapAfterGc(s: CDPSession) {
  await s.send('HeapProfiler.collectGarbage');
  await s.send('HeapProfiler.collectGarbage');
  return (await s.send('Runtime.getHeapUsage')).usedSize;
}

/** Self time per function over `ms` of sampling, as "12.3 % fn (file:line)" lines. */
async function topFunctions(s: CDPSession, ms: number, top = 8): Promise<string[]> {
  await s.send('Profiler.enable');
  await s.send('Profiler.setSamplingInterval', { interval: 1000 });
  await s.send('Profiler.start');
  await sleep(ms);
  const { profile } = await s.send('Profiler.stop');
  await s.send('Profiler.disable');
  const dt = new Map<number, number>();
  profile.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const total = [...dt.values()].reduce((a, b) => a + b, 0) || 1;
  const byFn = new Map<string, number>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const file = f.url ? f.url.replace(/^.*\//, '') : '';
    const key = `${f.functionName || '(anonymous)'}${file ? ` (${file}:${f.lineNumber + 1})` : ''}`;
    byFn.set(key, (byFn.get(key) ?? 0) + (dt.get(n.id) ?? 0));
  }
  return [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${((v / total) * 100).toFixed(1)} % ${k}`);
}

export async function steady(ctx: Ctx): Promise<Result[]> {
  const holdS = ctx.n === 1 ? 4 : ctx.quick ? 10 : 60;
  const sliceS = Math.min(10, holdS);
  const cs = ctx.contenders.filter(c => c !== 'c');
  const browser = await ctx.browser();
  const samples: Record<string, Record<string, number[]>> = {};
  for (const c of cs) {
    const S = (samples[c] = { renderer: [], browser: [], heap: [], heapGc: [], fps: [], dropped: [], script: [], task: [], layout: [], srcObject: [] } as Record<string, number[]>);
    // this scenario measures a call that is up, not the join: a join that stalls is retried
    // (as a visitor would reload), at most three times, and logged
    let call = await twoParty(browser, ctx.env, c, { keep: true, timeoutMs: 15000 });
    for (let attempt = 2; !call.ok && attempt <= 3; attempt++) {
      ctx.log(`  steady ${CONTENDERS[c as ContenderId].short}: the call did not connect, attempt ${attempt}`);
      await Promise.all((call.participants ?? []).map(p => p.close()));
      call = await twoParty(browser, ctx.env, c, { keep: true, timeoutMs: 15000 });
    }
    const ps = call.participants as Participant[];
    try {
      if (!call.ok) { ctx.log(`  steady ${CONTENDERS[c as ContenderId].short}: call did not connect in 3 attempts, skipped`); continue; }
      const sessions = await Promise.all(ps.map(p => p.cdp()));
      await Promise.all(sessions.map(s => s.send('Performance.enable')));
      await sleep(2000); // let both encoders settle on a bitrate
      let m0 = await Promise.all(sessions.map(metrics));
      let o0 = (await Promise.all(ps.map(p => p.snapshot()))).map(x => x.srcObjectSets);
      let r0 = await Promise.all(ps.map(p => p.rtcStats())) as RtcStats[];
      let b0 = browserCpu(), t0 = Date.now();
      for (let left = holdS; left > 0; left -= sliceS) {
        await sleep(Math.min(sliceS, left) * 1000);
        const m1 = await Promise.all(sessions.map(metrics));
        const r1 = await Promise.all(ps.map(p => p.rtcStats())) as RtcStats[];
        const b1 = browserCpu(), t1 = Date.now();
        const dt = (t1 - t0) / 1000;
        S.renderer!.push(m1.reduce((s, m, i) => s + (m.ProcessTime! - m0[i]!.ProcessTime!), 0) / dt);
        S.browser!.push(cpuDelta(b0, b1) / dt);
        // main-thread work of both pages, seconds per second: where renderer CPU goes besides media
        const sum = (k: string) => m1.reduce((a, m, i) => a + (m[k]! - m0[i]![k]!), 0) / dt;
        S.script!.push(sum('ScriptDuration'));
        S.task!.push(sum('TaskDuration'));
        S.layout!.push(sum('LayoutDuration') + sum('RecalcStyleDuration'));
        const o1 = (await Promise.all(ps.map(p => p.snapshot()))).map(x => x.srcObjectSets);
        S.srcObject!.push(o1.reduce((a, v, i) => a + v - o0[i]!, 0) / dt);
        o0 = o1;
        S.heap!.push(...m1.map(m => m.JSHeapUsedSize! / 1e6));
        S.fps!.push(...r1.map((r, i) => (r.framesDecoded - r0[i]!.framesDecoded) / dt));
        S.dropped!.push(...r1.map((r, i) => ((r.framesDropped - r0[i]!.framesDropped) / dt) * 60));
        m0 = m1; r0 = r1; b0 = b1; t0 = t1;
      }
      S.heapGc!.push(...(await Promise.all(sessions.map(heapAfterGc))).map(b => b / 1e6));
      // after the measured window: a 5 s JavaScript profile of one page, top functions by self time
      const prof = await topFunctions(sessions[0]!, 5000).catch(err => [`profile failed: ${err}`]);
      const profiles = (ctx.report['steady-profile'] ??= {}) as Record<string, string[]>;
      profiles[c] = prof;
      ctx.log(`  steady ${CONTENDERS[c as ContenderId].short}: renderer CPU ${S.renderer!.map(v => v.toFixed(2)).join(' ')} cores, fps ${S.fps!.map(v => v.toFixed(1)).join(' ')}`);
    } finally {
      await Promise.all(ps?.map(p => p.close()) ?? []);
    }
  }
  const out: Result[] = [];
  const add = (key: string, figure: string, unit: string, goal?: string) => {
    for (const c of cs) if (samples[c]?.[key]?.length)
      out.push(summarize({ scenario: 'steady', figure, contender: c, unit, ...(goal && c === 'a' ? { goal } : {}), extra: { holdS, sliceS } }, samples[c]![key]!));
  };
  add('renderer', `CPU of both pages' renderer processes (${holdS} s call)`, 'cores', 'a/b ≤ 1.15');
  add('browser', 'CPU of the whole browser (all processes)', 'cores');
  add('heap', 'JS heap used per page (sampled)', 'MB');
  add('heapGc', 'JS heap used per page after forced GC', 'MB', 'a/b ≤ 1.15');
  add('fps', 'frames decoded per second per remote video', 'fps');
  add('task', 'main-thread tasks of both pages (all work on the main thread)', 'cores');
  add('script', 'JavaScript of both pages', 'cores');
  add('layout', 'style + layout of both pages', 'cores');
  add('srcObject', 'video srcObject assignments per second, both pages (each one reloads the video)', '/s');
  add('dropped', 'frames dropped per minute per remote video', 'frames/min');
  addRatios(out, r => r.figure, 'a', ['b']);
  for (const r of out) if (r.goal && r.contender === 'a') r.met = r.ratios.b != null && r.ratios.b <= 1.15;
  return out;
}
