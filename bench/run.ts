// `npm run bench`: every scenario of issue 7 in one run, contenders interleaved.
//   --quick            a short run (fewer repetitions, 10 s steady state)
//   --n=<k>            k repetitions everywhere (the smoke test uses 1)
//   --only=a,b         run only these scenarios (size, first-frame, turn, mixed-browsers, mesh, steady, leaks, server;
//                      first-frame-shared — both pages in one browser, the clock before issue 13 — only when named)
//   --out=<dir>        where results.json / results.svg go (default bench/)
//   --element=<file>   benchmark this element bundle instead of dist/metered-call.js
//   --render=<json>    run nothing: re-print the table and rewrite results.svg from a results.json
//   --readme           also write the table and chart into docs/performance.md (the latest run)
// Must run inside the test network namespace (`npm run bench` does that, with the veth
// Firefox needs for ICE: NETNS_VETH=1; without it mixed-browsers is skipped).
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, release, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { launch, chromiumVersion } from './lib/browser.ts';
import { startStatic, startChild, type MeteredInfo, type PeerjsInfo, type ChildServer } from './lib/servers.ts';
import { ROOT, type Result } from './lib/results.ts';
import type { Ctx, Scenario } from './lib/ctx.ts';
import type { ContenderId } from './lib/contenders.ts';
import { runSize, elementBundle, type SizeRow } from './scenarios/size.ts';
import { firstFrame, firstFrameShared, throughTurn } from './scenarios/first-frame.ts';
import { mixedBrowsers } from './scenarios/mixed-browsers.ts';
import { meshScenario } from './scenarios/mesh.ts';
import { steady } from './scenarios/steady.ts';
import { leaks } from './scenarios/leaks.ts';
import { serverFigures } from './scenarios/server.ts';
import { table, writeReadme, type Doc } from './lib/report.ts';
import { chartSvg } from './lib/chart.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const opt = (name: string) => args.find(a => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const n = opt('n') ? Number(opt('n')) : undefined;
const only = opt('only')?.split(',');
const outDir = opt('out') ? resolve(opt('out')!) : join(ROOT, 'bench');
const started = Date.now();
const loadAtStart = loadavg()[0]!;
if (opt('element')) process.env.BENCH_ELEMENT = resolve(opt('element')!);
const log = (s: string) => process.stderr.write(s + '\n');

const SCENARIOS: [string, Scenario][] = [
  ['first-frame', firstFrame],
  ['first-frame-shared', firstFrameShared],
  ['turn', throughTurn],
  ['mixed-browsers', mixedBrowsers],
  ['mesh', meshScenario],
  ['steady', steady],
  ['leaks', leaks],
  ['server', serverFigures],
];

async function render(file: string) {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as Doc;
  mkdirSync(outDir, { recursive: true });
  if (resolve(file) !== join(outDir, 'results.json')) writeFileSync(join(outDir, 'results.json'), JSON.stringify(doc, null, 2) + '\n');
  writeFileSync(join(outDir, 'results.svg'), chartSvg(doc));
  const text = table(doc);
  process.stdout.write(text + '\n');
  if (flag('readme')) writeReadme(doc, text);
}

async function main() {
  if (opt('render')) return render(opt('render')!);
  if (process.env.METERED_CALL_IN_NETNS !== '1') throw new Error('run inside the loopback-only namespace: sh scripts/netns.sh tsx bench/run.ts');
  mkdirSync(outDir, { recursive: true });
  const results: Result[] = [];
  const report: Record<string, unknown> = {};
  // first-frame-shared only runs when named: it is the old clock, kept for comparison
  const want = (s: string) => (!only ? s !== 'first-frame-shared' : only.includes(s));

  let sizeRows: SizeRow[] = [];
  if (want('size')) {
    log('size …');
    const s = await runSize(log);
    sizeRows = s.rows;
    results.push(...s.results);
  }

  const stat = await startStatic();
  let metered: ChildServer<MeteredInfo> | null = null;
  let peerjs: ChildServer<PeerjsInfo> | null = null;
  let browser: Browser | null = null;
  const chromium = await chromiumVersion();
  try {
    metered = await startChild<MeteredInfo>('metered').catch(err => { log(`local server unavailable: ${err}`); return null; });
    peerjs = await startChild<PeerjsInfo>('peerjs').catch(err => { log(`peer server unavailable: ${err}`); return null; });
    const contenders: ContenderId[] = [];
    if (existsSync(elementBundle()) && !process.env.BENCH_ELEMENT) {
      const built = statSync(elementBundle()).mtimeMs;
      const newer = readdirSync(join(ROOT, 'src'), { recursive: true }).map(f => join(ROOT, 'src', String(f)))
        .filter(f => statSync(f).isFile() && statSync(f).mtimeMs > built);
      if (newer.length) log(`warning: dist/metered-call.js is older than ${newer.length} file(s) in src/ — run \`npm run build\` to measure the current element`);
    }
    if (existsSync(elementBundle()) && metered) contenders.push('a');
    else log('contender (a) left out: dist/metered-call.js missing (npm run build) or no local server');
    if (metered) contenders.push('b');
    if (peerjs) contenders.push('c');
    if (metered && !metered.info.turn) log('no coturn: the TURN scenario will fail (apt-get install coturn)');

    const ctx: Ctx = {
      env: { origin: stat.origin, metered: metered?.info as MeteredInfo, peerjs: peerjs?.info as PeerjsInfo },
      quick, n, contenders, metered, peerjs, log, results, report,
      browser: async () => (browser ??= await launch()),
    };
    for (const [name, run] of SCENARIOS) {
      if (!want(name)) continue;
      if (name !== 'server' && !metered) { log(`${name}: skipped, no local server`); continue; }
      const t = Date.now();
      log(`${name} …`);
      // a fresh browser per scenario: no scenario inherits another's processes or caches
      results.push(...(await run(ctx)));
      if (browser) { await (browser as Browser).close(); browser = null; }
      report[`${name}-seconds`] = Math.round((Date.now() - t) / 1000);
      log(`${name}: ${report[`${name}-seconds`]} s`);
    }
  } finally {
    if (browser) await (browser as Browser).close().catch(() => {});
    await metered?.close();
    await peerjs?.close();
    await stat.close();
  }

  const git = (...a: string[]) => { try { return execFileSync('git', a, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return ''; } };
  const dirty = git('status', '--porcelain', '--', 'src', 'server', 'bench', 'rollup.config.mjs') !== '';
  const meta = {
    date: new Date().toISOString(),
    // BENCH_COMMIT: set when running from an exported snapshot (git archive) that has no .git
    commit: process.env.BENCH_COMMIT || `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' (with uncommitted changes in src/, server/ or bench/)' : ''}`,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
    chromium, node: process.version, quick, n: n ?? null,
    // other work on the machine while the bench ran (1-minute load average at start and end)
    load: [Math.round(loadAtStart * 10) / 10, Math.round(loadavg()[0]! * 10) / 10] as [number, number],
    seconds: Math.round((Date.now() - started) / 1000),
  };
  const doc = { ...meta, results, size: sizeRows, report };
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(doc, null, 2) + '\n');
  writeFileSync(join(outDir, 'results.svg'), chartSvg(doc));
  const text = table(doc);
  process.stdout.write(text + '\n');
  if (flag('readme')) writeReadme(doc, text);
  log(`wrote ${join(outDir, 'results.json')} and results.svg in ${meta.seconds} s`);
}

main().then(() => process.exit(0), err => { console.error(err); process.exit(1); });
