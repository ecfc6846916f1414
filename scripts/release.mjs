#!/usr/bin/env node
// Cuts a release of the package version in package.json: builds, runs the tests, packs, and
// prints what the tarball holds and the SRI hashes of its files for <script> tags (read from
// the tarball itself, so they are the bytes a CDN will serve). Then publishes it — unless
// --dry-run, which stops after printing (and lets npm show what it would publish).
//   npm run release -- --dry-run                  everything but the upload
//   npm run release -- --dry-run --skip-tests     the same without the test suite (a quick look)
//   npm run release                               publish (needs `## [<version>] - <date>` in CHANGELOG.md)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptHashes } from './sri.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = new Set(process.argv.slice(2));
const dryRun = args.has('--dry-run');
const skipTests = args.has('--skip-tests');
for (const a of args) if (!['--dry-run', '--skip-tests'].includes(a)) throw new Error(`unknown option ${a} (--dry-run, --skip-tests)`);

const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const step = title => console.log(`\n== ${title}`);
const run = (cmd, argv, cwd = ROOT) => execFileSync(cmd, argv, { cwd, stdio: 'inherit' });
const capture = (cmd, argv, cwd = ROOT) => execFileSync(cmd, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

step(`${name}@${version}${dryRun ? ' (dry run: nothing is published)' : ''}`);
const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
const dated = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm').test(changelog);
if (!dated) {
  const message = `CHANGELOG.md has no "## [${version}] - YYYY-MM-DD" section: move the Unreleased entries under it.`;
  if (!dryRun) throw new Error(message);
  console.log(`note: ${message}`);
}

step('build');
run('npm', ['run', 'build', '--silent']);

step(skipTests ? 'tests: skipped (--skip-tests)' : 'tests');
if (!skipTests) run('npm', ['test']);

step('pack');
const work = mkdtempSync(join(tmpdir(), 'metered-call-release-'));
try {
  // --ignore-scripts: prepack would build a second time
  const [info] = JSON.parse(capture('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work]));
  const tarball = join(work, info.filename);
  console.log(`${info.filename}: ${info.files.length} files, ${info.size} B packed, ${info.unpackedSize} B unpacked`);
  for (const f of info.files) console.log(`  ${String(f.size).padStart(9)}  ${f.path}`);

  step('SRI hashes of the files for <script> tags, from the tarball');
  run('tar', ['-xzf', tarball, '-C', work]);
  const hashes = scriptHashes(join(work, 'package'));
  if (!hashes['dist/metered-call.js']) throw new Error('the tarball has no dist/metered-call.js');
  for (const [file, hash] of Object.entries(hashes)) {
    console.log(`  ${hash}  ${file}`);
    console.log(`    https://cdn.jsdelivr.net/npm/${name}@${version}/${file}`);
  }

  step(dryRun ? 'publish (dry run)' : 'publish');
  // (--loglevel=warn: the contents are listed above already)
  run('npm', ['publish', tarball, '--ignore-scripts', '--loglevel=warn', ...(dryRun ? ['--dry-run', '--offline'] : [])], work);
} finally {
  rmSync(work, { recursive: true, force: true });
}
