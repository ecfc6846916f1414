// `npm test`: runs every suite even when one fails, so one red suite cannot hide the
// others, then prints which passed and failed and the tests they counted, and exits
// non-zero if any failed. The suites are the type check and every `test:*` script of
// package.json (a new suite is picked up by its name); `npm test -- test:server` runs some.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const scripts = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).scripts;
// quick checks first, the browsers last (they take most of the time)
const ORDER = ['typecheck', 'test:docs', 'test:unit', 'test:server', 'test:bench', 'test:package'];
const all = [
  ...ORDER.filter(name => scripts[name]),
  ...Object.keys(scripts).filter(name => name.startsWith('test:') && !ORDER.includes(name) && name !== 'test:browser').sort(),
  ...(scripts['test:browser'] ? ['test:browser'] : []),
];
const wanted = process.argv.slice(2);
for (const name of wanted) if (!all.includes(name)) throw new Error(`no suite named ${name}: ${all.join(', ')}`);
const suites = wanted.length ? all.filter(name => wanted.includes(name)) : all;

/** Test counts from what a runner printed: node's TAP summary, or web-test-runner's per-browser totals. */
function countTests(output) {
  const tap = name => [...output.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((n, m) => n + Number(m[1]), 0);
  if (/^# pass \d+$/m.test(output)) return { passed: tap('pass'), failed: tap('fail') + tap('cancelled') };
  // web-test-runner ends with one line per browser: "Chromium: |███| 33/33 test files | 250 passed, 0 failed"
  const browsers = new Map();
  for (const m of output.matchAll(/^\s*(\w[\w ]*?): .*\| (\d+) passed, (\d+) failed/gm)) browsers.set(m[1], m);
  if (browsers.size === 0) return null;
  return [...browsers.values()].reduce((n, m) => ({ passed: n.passed + Number(m[2]), failed: n.failed + Number(m[3]) }), { passed: 0, failed: 0 });
}

function run(name) {
  return new Promise(resolve => {
    const started = Date.now();
    const child = spawn('npm', ['run', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = chunk => {
      output = (output + chunk).slice(-1_000_000); // the summary is at the end
    };
    child.stdout.on('data', chunk => (process.stdout.write(chunk), keep(chunk)));
    child.stderr.on('data', chunk => (process.stderr.write(chunk), keep(chunk)));
    child.on('close', (code, signal) =>
      resolve({ name, ok: code === 0, code: code ?? signal, seconds: (Date.now() - started) / 1000, counts: countTests(output) }),
    );
  });
}

const results = [];
for (const name of suites) {
  console.log(`\n=== ${name} ===`);
  results.push(await run(name));
}

const total = { passed: 0, failed: 0 };
console.log('\n=== summary ===');
for (const r of results) {
  if (r.counts) (total.passed += r.counts.passed), (total.failed += r.counts.failed);
  // a suite that failed without a failed test (a type error, a crash) still counts as one
  if (!r.ok && !r.counts?.failed) total.failed += 1;
  const counts = r.counts ? ` (${r.counts.passed} passed, ${r.counts.failed} failed)` : '';
  console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(14)} ${r.seconds.toFixed(0).padStart(5)} s${counts}${r.ok ? '' : `  exit ${r.code}`}`);
}
const red = results.filter(r => !r.ok);
console.log(red.length ? `\n${red.length} of ${results.length} suites failed: ${red.map(r => r.name).join(', ')}` : `\nall ${results.length} suites passed`);
// the plain closing line CI reads
console.log(`tests: ${total.passed} passed, ${total.failed} failed`);
process.exitCode = red.length ? 1 : 0;
