// Server: the headline figures of `npm run bench:server` (bench/server.ts, owned by the
// server's engineer), run as a child process and included as they come.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Ctx } from '../lib/ctx.ts';
import { ROOT, type Result } from '../lib/results.ts';

export async function serverFigures(ctx: Ctx): Promise<Result[]> {
  const script = join(ROOT, 'bench/server.ts');
  if (!existsSync(script)) {
    ctx.log('server: bench/server.ts not there yet');
    return [{ scenario: 'server', figure: 'no figures: bench/server.ts (npm run bench:server) is not in the tree yet', contender: 'server', unit: '', n: 0, median: null, p95: null, ratios: {} }];
  }
  // bench:server's --quick is the size it offers for `npm run bench` (a 5 s soak); a full
  // `npm run bench:server` run stays a separate command
  const args = ['--quick'];
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(resolve => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', d => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10 * 60_000);
    child.on('exit', c => { clearTimeout(timer); resolve({ code: c, stdout: out }); });
  });
  ctx.report['server-stdout'] = stdout;
  return parseServerOutput(stdout, code);
}

/** Columns shown in docs/performance.md's headline table (the largest load only). */
const HEADLINE = /connect\+subscribe p99|delivered \(msg\/s\)|dropped|reordered|RSS peak|per connect\+subscribe/;

/** Goals from issue 3 for the server at 500 clients. */
function goalFor(clients: string, col: string, v: number): Pick<Result, 'goal' | 'met'> {
  if (clients.trim() !== '500') return {};
  if (/connect\+subscribe p99/.test(col)) return { goal: '< 50 ms at 500 clients', met: v < 50 };
  if (/^delivered \(msg\/s\)/.test(col)) return { goal: '≥ 20,000 msg/s', met: v >= 20000 };
  if (/dropped|reordered/.test(col)) return { goal: 'zero', met: v === 0 };
  return {};
}

/**
 * Turns the Markdown (or `|`-separated) table bench:server prints into results: one per
 * cell, figure = "<row label>: <column>", unit from a trailing "(unit)" in the column
 * name. The last row (the largest load) is marked as the headline.
 */
export function parseServerOutput(stdout: string, code: number | null): Result[] {
  const lines = stdout.split('\n').map(l => l.trim()).filter(l => l.startsWith('|') && l.endsWith('|'));
  const cells = (l: string) => l.slice(1, -1).split('|').map(c => c.trim());
  const table = lines.map(cells).filter(r => !r.every(c => /^:?-{3,}:?$/.test(c)));
  const out: Result[] = [];
  if (table.length >= 2) {
    const [head, ...rows] = table;
    rows.forEach((row, i) => {
      for (let j = 1; j < row.length; j++) {
        const col = head![j] ?? `column ${j}`;
        const unit = /\(([^)]+)\)\s*$/.exec(col)?.[1] ?? '';
        const num = Number((row[j] ?? '').replace(/[,\s]/g, '').replace(/[^\d.eE+-].*$/, ''));
        out.push({
          scenario: 'server', figure: `${head![0]} ${row[0]}: ${col.replace(/\s*\([^)]+\)\s*$/, '')}`, contender: 'server', unit,
          n: 1, median: row[j] !== '' && Number.isFinite(num) ? num : null, p95: null, ratios: {},
          extra: { text: row[j], headline: i === rows.length - 1 && HEADLINE.test(col) },
          ...goalFor(String(row[0]), col, Number.isFinite(num) ? num : NaN),
        });
      }
    });
  }
  if (!out.length || code !== 0)
    out.push({ scenario: 'server', figure: `bench:server exited ${code}${out.length ? '' : ' without a table'}`, contender: 'server', unit: '', n: 1, median: null, p95: null, ratios: {}, extra: { stdout: stdout.slice(-4000) } });
  return out;
}
