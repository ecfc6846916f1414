// Result records, statistics and shared paths.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One line of bench/results.json. */
export interface Result {
  scenario: string;
  figure: string;
  /** a = element, b = plain SDK page, c = PeerJS, or a package id for sizes */
  contender: string;
  unit: string;
  n: number;
  median: number | null;
  p95: number | null;
  /** this figure divided by the same figure of each baseline contender, keyed by its id */
  ratios: Record<string, number | null>;
  /** 95% bootstrap interval of each ratio of medians (when both sides have ≥ 5 samples) */
  ratioCi?: Record<string, [number, number]>;
  goal?: string;
  met?: boolean;
  /** raw samples, for the chart and for re-analysis */
  samples?: number[];
  extra?: Record<string, unknown>;
}

export function quantile(values: number[], q: number): number | null {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return null;
  const pos = (v.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return v[lo]! + (v[hi]! - v[lo]!) * (pos - lo);
}
export const median = (v: number[]) => quantile(v, 0.5);
export const p95 = (v: number[]) => quantile(v, 0.95);
export const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b === 0 ? null : a / b;

export function summarize(
  base: Omit<Result, 'n' | 'median' | 'p95' | 'ratios'> & { ratios?: Result['ratios'] },
  samples: number[],
): Result {
  return { ...base, n: samples.length, median: median(samples), p95: p95(samples), ratios: base.ratios ?? {}, samples };
}

/** Fills `ratios` of every result of contender `of` against the same figure key of each baseline. */
export function addRatios(results: Result[], key: (r: Result) => string, of: string, baselines: string[]) {
  for (const r of results.filter(x => x.contender === of)) {
    for (const b of baselines) {
      const other = results.find(x => x.contender === b && key(x) === key(r));
      if (!other) continue;
      r.ratios[b] = ratio(r.median, other.median);
      const ci = bootstrapRatioCi(r.samples ?? [], other.samples ?? []);
      if (ci) (r.ratioCi ??= {})[b] = ci;
    }
  }
}

/** 95% percentile-bootstrap interval of median(a) / median(b); seeded, so a run's report is reproducible. */
export function bootstrapRatioCi(a: number[], b: number[], rounds = 2000): [number, number] | null {
  if (a.length < 5 || b.length < 5) return null;
  let seed = 0x9e3779b9;
  const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 2 ** 32; };
  const pick = (v: number[]) => Array.from(v, () => v[Math.floor(rand() * v.length)]!);
  const rs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const x = ratio(median(pick(a)), median(pick(b)));
    if (x !== null && Number.isFinite(x)) rs.push(x);
  }
  const lo = quantile(rs, 0.025), hi = quantile(rs, 0.975);
  return lo === null || hi === null ? null : [lo, hi];
}
