// The package checked by the tools made for it, on the tarball `npm pack` makes: publint (every
// message, suggestions included, is a failure), @arethetypeswrong/cli (every entry point in every
// resolution mode: node10, node16 from CJS and from ESM, bundler) and `npm publish --dry-run`.
// All offline: the tools come from devDependencies and need no registry.
// Run with `npm run test:package` (builds first; runs inside the loopback-only namespace).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'metered-call-tools-'));
let tarball;

before(() => {
  assert.ok(statSync(join(ROOT, 'dist/metered-call.js')).isFile(), 'no build: run npm run build');
  // --ignore-scripts: prepack would build again; npm run test:package has just built
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
  tarball = join(work, JSON.parse(out)[0].filename);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('one version: package.json\'s, written into both builds in place of the placeholder of src/version.ts', () => {
  const placeholder = '__METERED_CALL_VERSION__';
  assert.match(readFileSync(join(ROOT, 'src/version.ts'), 'utf8'), new RegExp(placeholder), 'src/version.ts holds no version of its own');
  assert.doesNotMatch(readFileSync(join(ROOT, 'src/version.ts'), 'utf8'), /['"]\d+\.\d+\.\d+['"]/);
  for (const file of ['dist/version.js', 'dist/metered-call.js']) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    assert.ok(!text.includes(placeholder), `${file} still has the placeholder`);
    assert.ok(text.includes(JSON.stringify(pkg.version)), `${file} lacks ${pkg.version}`);
  }
  // (package.test.mjs imports the installed package in Node and compares MeteredCall.version)
});

test('publint finds nothing to say about the tarball, not even a suggestion', async () => {
  const data = readFileSync(tarball);
  const { messages, pkg: packed } = await publint({
    pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) },
    level: 'suggestion',
    strict: true,
  });
  assert.deepEqual(messages.map(m => `${m.type}: ${formatMessage(m, packed, { color: false })}`), []);
});

test('are-the-types-wrong: every entry point resolves with types in every resolution mode', () => {
  const attw = join(ROOT, 'node_modules/.bin/attw');
  // The package is ESM only ("type": "module"): a CommonJS require() of it is reported as
  // CJSResolvesToESM in node16-cjs, by design (Node ≥ 20.19 can require() it). Every other
  // finding in that mode, and in node10, node16-esm and bundler, fails the test.
  const run = spawnSync(attw, [tarball, '--format', 'json', '--ignore-rules', 'cjs-resolves-to-esm'], { encoding: 'utf8' });
  const report = JSON.parse(run.stdout);
  const problems = (report.analysis.problems ?? []).filter(p => p.kind !== 'CJSResolvesToESM');
  assert.deepEqual(problems.map(p => `${p.kind} ${p.entrypoint ?? ''} ${p.resolutionKind ?? ''}`), []);
  assert.equal(run.status, 0, run.stderr);
  // every subpath of "exports" was checked, in all four modes, and resolved to types
  const entrypoints = report.analysis.entrypoints;
  for (const subpath of Object.keys(pkg.exports).filter(s => !s.endsWith('.json'))) {
    const modes = entrypoints[subpath]?.resolutions;
    assert.ok(modes, `${subpath} was not checked`);
    assert.deepEqual(Object.keys(modes).sort(), ['bundler', 'node10', 'node16-cjs', 'node16-esm'], subpath);
    for (const [mode, { resolution }] of Object.entries(modes)) {
      assert.match(resolution?.fileName ?? '', /\.d\.ts$/, `${subpath} in ${mode} resolves to no types`);
    }
  }
});

test('npm publish --dry-run accepts the tarball as it is, with nothing auto-corrected', () => {
  const run = spawnSync('npm', ['publish', tarball, '--dry-run', '--offline', '--ignore-scripts', '--loglevel=warn'], {
    cwd: work,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(`${run.stdout}${run.stderr}`, new RegExp(`\\+ ${pkg.name}@${pkg.version.replace(/\./g, '\\.')}`));
  // npm rewrites package.json fields it finds wrong (bin, repository…) and warns about it
  assert.doesNotMatch(run.stderr, /auto-corrected|npm error|invalid/i);
});
