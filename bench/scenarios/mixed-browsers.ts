// Chromium ↔ Firefox: join → first remote frame on both sides for two <metered-call>
// elements, participant 1 in Firefox and participant 2 in Chromium (ff), against both in
// Chromium (cc, the first-frame scenario's a). The pairings alternate call by call in one
// run, so ff/cc compares calls made under the same machine load.
import type { Ctx } from '../lib/ctx.ts';
import { BREAKDOWN_STEPS, twoParty, type TwoPartyResult } from '../lib/call.ts';
import { uniqueRoom } from '../lib/contenders.ts';
import { firefoxUnavailable, launchFirefox, openFirefoxSide } from '../lib/firefox.ts';
import { addRatios, median, summarize, type Result } from '../lib/results.ts';

const TIMEOUT_MS = 10000;
const SCENARIO = 'mixed-browsers';
export const PAIRINGS = {
  cc: 'element, Chromium ↔ Chromium',
  ff: 'element, Firefox (joins first) ↔ Chromium',
} as const;
type Pairing = keyof typeof PAIRINGS;
const ORDER: Pairing[] = ['cc', 'ff'];

export async function mixedBrowsers(ctx: Ctx): Promise<Result[]> {
  const why = ctx.contenders.includes('a') ? firefoxUnavailable() : 'the element (a) is not available';
  if (why) { ctx.log(`  ${SCENARIO}: skipped, ${why}`); return []; }
  const n = ctx.n ?? (ctx.quick ? 3 : 10);
  const chromium = await ctx.browser();
  const firefox = await launchFirefox();
  const runs: Record<Pairing, TwoPartyResult[]> = { cc: [], ff: [] };
  try {
    // the clock starts at the Chromium page's navigation start in both pairings (twoParty)
    const call = (p: Pairing) => twoParty(chromium, ctx.env, 'a', {
      timeoutMs: TIMEOUT_MS, room: uniqueRoom(`mixed-${p}`),
      ...(p === 'ff' ? { first: () => openFirefoxSide(firefox) } : {}),
    }).catch(err => ({ ok: false, ms: null, sides: [null, null], steps: {}, diag: { error: String(err) } }) as TwoPartyResult);
    // one warm-up call per pairing, not counted (a fresh browser's first page pays one-off
    // costs); left out when n = 1, where only the shape of the results matters
    if (n > 1) for (const p of ORDER) await call(p);
    for (let i = 0; i < n; i++) {
      for (const p of ORDER) {
        const r = await call(p);
        runs[p].push(r);
        if (!r.ok) ctx.log(`  ${p} #${i + 1}: no remote frames on both sides within ${TIMEOUT_MS / 1000} s ${JSON.stringify(r.diag).slice(0, 600)}`);
      }
      ctx.log(`  round ${i + 1}/${n}: ` + ORDER.map(p => `${p} ${runs[p].at(-1)!.ok ? Math.round(runs[p].at(-1)!.ms!) + ' ms' : 'STALL'}`).join(', '));
    }
  } finally {
    await firefox.close().catch(() => {});
  }
  return summarizeRuns(ctx, runs, n);
}

function summarizeRuns(ctx: Ctx, runs: Record<Pairing, TwoPartyResult[]>, n: number): Result[] {
  const out: Result[] = [];
  for (const p of ORDER) {
    const rs = runs[p], ok = rs.filter(r => r.ok);
    const side = (i: 0 | 1) => median(ok.map(r => r.sides[i]).filter((v): v is number => v != null));
    const pairs = [...new Set(ok.flatMap(r => r.pairs ?? []))];
    // where the Chromium joiner's time goes in each pairing (medians, ms after the clock start)
    const steps = Object.fromEntries(BREAKDOWN_STEPS.map(([k]) =>
      [k, median(ok.map(r => r.steps[k]).filter((v): v is number => v != null))]));
    out.push(summarize({
      scenario: SCENARIO, figure: 'join → first remote frame, both sides', contender: p, unit: 'ms',
      extra: {
        pairing: PAIRINGS[p],
        // medians, ms after the clock start: participant 1 (Firefox in ff) and participant 2 (Chromium)
        firstFrameBySide: { participant1: side(0), participant2: side(1) },
        joiningSideSteps: steps,
        ...(pairs.length ? { candidatePairs: pairs } : {}),
      },
    }, ok.map(r => r.ms!)));
    out.push({
      scenario: SCENARIO, figure: `joins with remote frames on both sides within ${TIMEOUT_MS / 1000} s`, contender: p, unit: 'joins',
      n: rs.length, median: ok.length, p95: null, ratios: {},
      extra: { stalls: rs.filter(r => !r.ok).map(r => r.diag) },
    });
  }
  addRatios(out.filter(r => r.unit === 'ms'), r => r.figure, 'ff', ['cc']);
  ctx.report[`${SCENARIO}-n`] = n;
  return out;
}
