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

export async function steady(ctx: Ctx): Promise<Result[]> {
  const holdS = ctx.n === 1 ? 4 : ctx.quick ? 10 : 60;
  const sliceS = Math.min(10, holdS);
  const cs = ctx.contenders.filter(c => c !== 'c');
  const browser = await ctx.browser();
  const samples: Record<string, Record<string, number[]>> = {};
  for (const c of cs) {
    const S = (samples[c] = { renderer: [], browser: [], heap: [], heapGc: [], fps: [], dropped: [] } as Record<string, number[]>);
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
        S.heap!.push(...m1.map(m => m.JSHeapUsedSize! / 1e6));
        S.fps!.push(...r1.map((r, i) => (r.framesDecoded - r0[i]!.framesDecoded) / dt));
        S.dropped!.push(...r1.map((r, i) => ((r.framesDropped - r0[i]!.framesDropped) / dt) * 60));
        m0 = m1; r0 = r1; b0 = b1; t0 = t1;
      }
      S.heapGc!.push(...(await Promise.all(sessions.map(heapAfterGc))).map(b => b / 1e6));
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
  add('dropped', 'frames dropped per minute per remote video', 'frames/min');
  addRatios(out, r => r.figure, 'a', ['b']);
  for (const r of out) if (r.goal && r.contender === 'a') r.met = r.ratios.b != null && r.ratios.b <= 1.15;
  return out;
}
