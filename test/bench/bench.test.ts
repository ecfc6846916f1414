// Smoke test for `npm run bench`: every scenario once with n=1, into a temporary
// directory, then checks that what it wrote is well-formed — never the timings.
// Runs inside the test namespace, with the veth Firefox needs: npm run test:bench.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..');
const out = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
let stdout = '';
let stderr = '';
let status: number | null = null;

before(() => {
  assert.equal(process.env.METERED_CALL_IN_NETNS, '1', 'run inside the namespace: npm run test:bench');
  // the element is a contender: build it when the build exists but its output does not
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  if (!existsSync(join(ROOT, 'dist/metered-call.js')) && pkg.scripts?.build)
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/run.ts'), '--n=1', `--out=${out}`], {
    cwd: ROOT, encoding: 'utf8', timeout: 12 * 60_000, env: process.env,
  });
  ({ stdout, stderr, status } = r);
}, { timeout: 13 * 60_000 });

process.on('exit', () => rmSync(out, { recursive: true, force: true }));

const doc = () => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
const isNum = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

test('the run exits 0 and prints one table', () => {
  assert.equal(status, 0, `bench exited ${status}:\n${stderr.slice(-3000)}`);
  const header = stdout.split('\n').filter(l => l.startsWith('| scenario |'));
  assert.equal(header.length, 1, 'exactly one table header');
  assert.match(stdout, /Chromium \d+\./);
});

test('results.json has the run metadata', () => {
  const d = doc();
  assert.ok(!Number.isNaN(Date.parse(d.date)));
  for (const k of ['machine', 'chromium', 'node']) assert.equal(typeof d[k], 'string', k);
  assert.equal(d.n, 1);
  assert.ok(Array.isArray(d.results) && d.results.length > 0);
});

test('every result is well-formed', () => {
  for (const r of doc().results) {
    const where = `${r.scenario} / ${r.figure} / ${r.contender}`;
    for (const k of ['scenario', 'figure', 'contender', 'unit']) assert.equal(typeof r[k], 'string', `${where}: ${k}`);
    assert.ok(Number.isInteger(r.n) && r.n >= 0, `${where}: n`);
    assert.ok(r.median === null || isNum(r.median), `${where}: median`);
    assert.ok(r.p95 === null || isNum(r.p95), `${where}: p95`);
    assert.equal(typeof r.ratios, 'object', `${where}: ratios`);
    for (const v of Object.values(r.ratios)) assert.ok(v === null || isNum(v), `${where}: ratio`);
    if (r.samples) assert.ok(r.samples.every(isNum), `${where}: samples`);
    if ('met' in r) assert.equal(typeof r.met, 'boolean', `${where}: met`);
  }
});

test('every scenario produced its figures for every contender', () => {
  const rs = doc().results as { scenario: string; contender: string; unit: string; n: number; ratios: Record<string, unknown> }[];
  const scenarios = new Set(rs.map(r => r.scenario));
  for (const s of ['size', 'first-frame', 'turn', 'mixed-browsers', 'mesh-2', 'mesh-3', 'steady', 'leaks', 'server'])
    assert.ok(scenarios.has(s), `scenario ${s} missing (have ${[...scenarios].join(', ')})`);
  const who = (s: string) => new Set(rs.filter(r => r.scenario === s).map(r => r.contender));
  for (const s of ['first-frame', 'turn']) assert.deepEqual([...who(s)].sort(), ['a', 'b', 'c'], s);
  for (const s of ['mesh-2', 'mesh-3', 'steady']) assert.deepEqual([...who(s)].sort(), ['a', 'b'], s);
  // the element's timing rows carry ratios to each baseline
  const ff = rs.find(r => r.scenario === 'first-frame' && r.contender === 'a' && r.unit === 'ms')!;
  assert.deepEqual(Object.keys(ff.ratios).sort(), ['b', 'c']);
  const joins = rs.filter(r => r.scenario === 'first-frame' && r.unit === 'joins');
  assert.deepEqual(joins.map(r => r.contender).sort(), ['a', 'b', 'c'], 'a join count for every contender');
  assert.ok(joins.every(r => r.n === 1), 'one join per contender');
  const size = rs.filter(r => r.scenario === 'size').map(r => r.contender);
  for (const id of ['element', 'sdk', 'peerjs', 'simple-peer', 'trystero', 'daily', 'livekit', 'whereby']) assert.ok(size.includes(id), `size of ${id}`);
});

test('mesh: the start modes, with signalling, recovery counters and the media policy per contender', () => {
  type R = { scenario: string; figure: string; contender: string; unit: string; n: number; median: number | null; extra?: Record<string, unknown> };
  const rs = doc().results as R[];
  for (const mode of ['staggered', 'late-joiner', 'reload']) {
    const sc = `mesh-${mode}-3`;
    const these = rs.filter(r => r.scenario === sc);
    assert.deepEqual([...new Set(these.map(r => r.contender))].sort(), ['a', 'b'], `${sc}: both contenders`);
    for (const c of ['a', 'b']) {
      assert.ok(these.some(r => r.contender === c && r.unit === 'ms' && r.n === 1), `${sc} ${c}: one timed run`);
      assert.ok(these.some(r => r.contender === c && r.unit === 'runs'), `${sc} ${c}: stalls`);
      assert.ok(these.some(r => r.contender === c && r.unit === 'B'), `${sc} ${c}: signalling per participant`);
    }
    const counters = these.find(r => r.contender === 'a' && r.figure.includes('recovery counters'));
    assert.equal(typeof counters?.extra?.text, 'string', `${sc}: recovery counters printed (or n/a)`);
    const media = these.find(r => r.contender === 'a' && r.figure.includes('video sent per connection'));
    assert.match(String(media?.extra?.text), /full|high|medium|low|minimal|paused/, `${sc}: the tiers the element sends`);
  }
  const reload = rs.find(r => r.scenario === 'mesh-reload-3' && r.contender === 'a' && r.figure.includes('rebuilt'));
  assert.ok(reload && reload.n === 1, 'reload: connections the others rebuilt');
  const mixed = rs.filter(r => r.scenario === 'mesh-mixed-3');
  assert.deepEqual([...new Set(mixed.map(r => r.contender))], ['mix'], 'mixed: element and plain pages in one room');
  for (const size of [2, 3]) {
    assert.ok(rs.some(r => r.scenario === `mesh-${size}` && r.contender === 'a' && r.figure.includes('recovery counters')), `mesh-${size}: recovery counters`);
  }
  const table = stdout.split('\n').filter(l => l.startsWith('| mesh-'));
  assert.ok(table.some(l => /recovery counters/.test(l) && /(n\/a|\d)/.test(l)), 'the table prints the recovery counters');
});

test('mixed-browsers: one call per pairing, Firefox ↔ Chromium with its ratio to Chromium ↔ Chromium', () => {
  type R = { scenario: string; contender: string; unit: string; n: number; median: number | null; ratios: Record<string, unknown>; extra?: Record<string, unknown> };
  const rs = (doc().results as R[]).filter(r => r.scenario === 'mixed-browsers');
  // an empty set means the scenario skipped itself: see its reason in the run's stderr
  assert.deepEqual([...new Set(rs.map(r => r.contender))].sort(), ['cc', 'ff'], `both pairings\n${stderr.split('\n').filter(l => l.includes('mixed-browsers')).join('\n')}`);
  for (const p of ['cc', 'ff']) {
    const joins = rs.find(r => r.contender === p && r.unit === 'joins');
    const ms = rs.find(r => r.contender === p && r.unit === 'ms');
    assert.ok(joins && ms, `${p}: a joins row and a timing row`);
    assert.equal(joins.n, 1, `${p}: one call`);
    assert.equal(ms.n, joins.median, `${p}: one timing per call that got frames on both sides`);
    const sides = ms.extra?.firstFrameBySide as Record<string, unknown> | undefined;
    assert.deepEqual(Object.keys(sides ?? {}).sort(), ['participant1', 'participant2'], `${p}: first frame per side`);
  }
  const ff = rs.find(r => r.contender === 'ff' && r.unit === 'ms')!;
  assert.deepEqual(Object.keys(ff.ratios), ['cc'], 'ff carries its ratio to cc');
  const row = stdout.split('\n').find(l => /^\| mixed-browsers \| join → first remote frame, both sides \(ms\) \| element, Firefox/.test(l));
  assert.ok(row, 'the table has the Firefox ↔ Chromium row');
  if (ff.ratios.cc != null) assert.match(row, /\| ff\/cc \d+\.\d\d/, 'the row shows the ratio');
});

test('every size is a real bundle', () => {
  for (const s of doc().size as { id: string; raw: number; gzip: number; brotli: number }[]) {
    assert.ok(s.raw > 1000 && s.gzip > 0 && s.brotli > 0, `${s.id}: ${s.raw} bytes`);
    assert.ok(s.gzip < s.raw && s.brotli < s.raw, `${s.id}: compressed smaller than raw`);
  }
});

test('the chart is an SVG with first-frame samples and size bars', () => {
  const svg = readFileSync(join(out, 'results.svg'), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\s*$/);
  assert.ok((svg.match(/<circle /g) ?? []).length >= 1, 'first-frame dots');
  assert.ok((svg.match(/<rect /g) ?? []).length >= 8, 'size bars');
});
