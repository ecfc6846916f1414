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
    return [{ scenario: 'server', figure: 'bench:server not available', contender: 'server', unit: '', n: 0, median: null, p95: null, ratios: {} }];
  }
  const args = ctx.quick || ctx.n !== undefined ? ['--quick'] : [];
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

export function parseServerOutput(stdout: string, code: number | null): Result[] {
  return [{ scenario: 'server', figure: `bench:server exited ${code}`, contender: 'server', unit: '', n: 1, median: null, p95: null, ratios: {}, extra: { stdout } }];
}
