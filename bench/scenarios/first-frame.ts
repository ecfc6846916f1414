// Join → first remote frame (direct) and the same through TURN (relay only), with join
// success within 10 s and a per-step breakdown of where the time goes.
// The clock: from the second page's navigation start to a decoded remote frame on BOTH
// sides. Each page runs in a browser of its own, launched for the call, and the
// contenders are interleaved call by call. (Until issue 13 both pages shared one browser:
// the second page then found the browser's GPU, network, capture and audio services
// already started and warm from the first, which hid start-up costs that a visitor's
// fresh browser pays — and hid them more for the contender that needs more of them.)
import type { Ctx } from '../lib/ctx.ts';
import { twoParty, BREAKDOWN_STEPS, type TwoPartyResult } from '../lib/call.ts';
import { CONTENDERS, type ContenderId } from '../lib/contenders.ts';
import { median, summarize, addRatios, ratio, bootstrapRatioCi, type Result } from '../lib/results.ts';

const TIMEOUT_MS = 10000;

async function runCalls(ctx: Ctx, relay: boolean, n: number, cs: ContenderId[], ownBrowsers = true) {
  const runs: Record<string, TwoPartyResult[]> = Object.fromEntries(cs.map(c => [c, []]));
  const browser = await ctx.browser();
  // one warm-up call per contender, not counted: the first page load of a fresh browser
  // pays one-off costs (disk cache of the binary, codec start-up) that no contender should carry
  // (left out when n = 1: the smoke test checks shapes, not timings)
  if (n > 1) for (const c of cs) await twoParty(browser, ctx.env, c, { relay, timeoutMs: TIMEOUT_MS, ownBrowsers }).catch(() => null);
  for (let i = 0; i < n; i++) {
    for (const c of cs) {
      const r = await twoParty(browser, ctx.env, c, { relay, timeoutMs: TIMEOUT_MS, ownBrowsers }).catch(err => ({
        ok: false, ms: null, sides: [null, null], steps: {}, diag: { error: String(err) },
      }) as TwoPartyResult);
      runs[c]!.push(r);
      if (!r.ok) ctx.log(`  ${relay ? 'relay' : 'direct'} ${CONTENDERS[c as ContenderId].short} #${i + 1}: no remote frames on both sides within ${TIMEOUT_MS / 1000} s ${JSON.stringify(r.diag).slice(0, 600)}`);
    }
    ctx.log(`  ${relay ? 'relay' : 'direct'} round ${i + 1}/${n}: ` + cs.map(c => {
      const r = runs[c]!.at(-1)!;
      return `${c} ${r.ok ? Math.round(r.ms!) + ' ms' : 'STALL'}`;
    }).join(', '));
  }
  return runs;
}

function summarizeRuns(ctx: Ctx, scenario: string, runs: Record<string, TwoPartyResult[]>, n: number): Result[] {
  const out: Result[] = [];
  const breakdowns: Record<string, Record<string, number | null>> = {};
  for (const [c, rs] of Object.entries(runs)) {
    const ok = rs.filter(r => r.ok);
    out.push(summarize({
      scenario, figure: 'join → first remote frame, both sides', contender: c, unit: 'ms',
      ...(c === 'a' && scenario === 'first-frame' ? { goal: 'a/b ≤ 1.10 and a/c < 1.0' } : {}),
    }, ok.map(r => r.ms!)));
    out.push({
      scenario, figure: `joins with remote frames on both sides within ${TIMEOUT_MS / 1000} s`, contender: c, unit: 'joins',
      n: rs.length, median: ok.length, p95: null, ratios: {},
      ...(c === 'a' ? { goal: 'every join', met: rs.length > 0 && ok.length === rs.length } : {}),
      extra: { stalls: rs.filter(r => !r.ok).map(r => r.diag) },
    });
    const b: Record<string, number | null> = {};
    const stepSamples: Record<string, number[]> = {};
    for (const [k] of [...BREAKDOWN_STEPS, ['other-first-frame', '']]) {
      stepSamples[k!] = ok.map(r => r.steps[k!]).filter((v): v is number => v != null);
      b[k!] = median(stepSamples[k!]!);
    }
    breakdowns[c] = b;
    // one row per contender: when each milestone happened on the joining side (medians)
    out.push({
      scenario, figure: 'breakdown: ms after clock start, joining side (medians)', contender: c, unit: 'steps', n: ok.length,
      median: b['first-frame'] ?? null, p95: null, ratios: {},
      extra: { steps: b, samples: stepSamples, labels: Object.fromEntries(BREAKDOWN_STEPS) },
    });
    const pairs = ok.flatMap(r => r.pairs ?? []);
    if (pairs.length) out.at(-3)!.extra = { candidatePairs: [...new Set(pairs)] };
  }
  addRatios(out.filter(r => r.unit === 'ms'), r => r.figure, 'a', ['b', 'c']);
  const a = out.find(r => r.contender === 'a' && r.unit === 'ms');
  if (a && scenario === 'first-frame' && a.ratios.b != null && a.ratios.c != null)
    a.met = a.ratios.b <= 1.1 && a.ratios.c < 1.0;
  ctx.report[`${scenario}-breakdown`] = breakdowns;
  ctx.report[`${scenario}-n`] = n;
  return out;
}

export async function firstFrame(ctx: Ctx): Promise<Result[]> {
  const n = ctx.n ?? (ctx.quick ? 5 : 20);
  const cs = ctx.contenders;
  return summarizeRuns(ctx, 'first-frame', await runCalls(ctx, false, n, cs), n);
}

/**
 * The same calls with both pages in one shared browser (the clock the bench used before
 * issue 13), to compare the two clocks in one run: `--only=first-frame,first-frame-shared`.
 * Not in the default run.
 */
export async function firstFrameShared(ctx: Ctx): Promise<Result[]> {
  const n = ctx.n ?? (ctx.quick ? 5 : 20);
  return summarizeRuns(ctx, 'first-frame-shared', await runCalls(ctx, false, n, ctx.contenders, false), n);
}

export async function throughTurn(ctx: Ctx): Promise<Result[]> {
  const n = ctx.n ?? (ctx.quick ? 3 : 10);
  const cs = ctx.contenders;
  const out = summarizeRuns(ctx, 'turn', await runCalls(ctx, true, n, cs), n);
  // ratio relay / direct for each contender, against the first-frame scenario of this run
  for (const r of out.filter(x => x.unit === 'ms')) {
    const direct = ctx.results.find(x => x.scenario === 'first-frame' && x.unit === 'ms' && x.contender === r.contender);
    r.ratios.direct = ratio(r.median, direct?.median);
    const ci = bootstrapRatioCi(r.samples ?? [], direct?.samples ?? []);
    if (ci) (r.ratioCi ??= {}).direct = ci;
  }
  return out;
}
