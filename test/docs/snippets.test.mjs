// Docs drift for the CDN snippets: every `<!-- generated:NAME -->` region of README.md and
// docs/**/*.md must hold the version from package.json and the SRI hashes of what the sources
// build to today. The bundles are built in memory from rollup.config.mjs (the same bytes as
// `npm run build` writes), so a stale or missing dist/ cannot hide a stale hash.
// Run: npm run test:docs
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';
import { fillRegions, markdownFiles, packageVersion, regionsIn, REGIONS } from '../../scripts/snippets.mjs';
import { scriptFiles, sri } from '../../scripts/sri.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** `{ 'dist/metered-call.js': 'sha384-…' }` for every .js file rollup.config.mjs builds. */
async function builtScriptHashes() {
  const { default: config } = await import('../../rollup.config.mjs');
  const hashes = {};
  for (const options of [config].flat()) {
    const bundle = await rollup(options);
    try {
      for (const out of [options.output].flat()) {
        const dir = out.dir ?? dirname(out.file);
        const { output } = await bundle.generate(out);
        for (const item of output) {
          if (item.type !== 'chunk') continue;
          hashes[posix.normalize(relative(ROOT, join(ROOT, dir, item.fileName)).split('\\').join('/'))] = sri(item.code);
        }
      }
    } finally {
      await bundle.close();
    }
  }
  return Object.fromEntries(Object.entries(hashes).sort(([a], [b]) => a.localeCompare(b)));
}

test('every generated snippet region in README.md and docs/**/*.md has the real version and SRI hashes (run `npm run build`)', { timeout: 300_000 }, async () => {
  const data = { version: packageVersion(), hashes: await builtScriptHashes() };
  assert.ok(data.hashes['dist/metered-call.js'], 'rollup.config.mjs no longer builds dist/metered-call.js');
  const stale = [];
  for (const file of markdownFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    if (fillRegions(text, data) !== text) stale.push(file);
  }
  assert.deepEqual(stale, [], 'files whose generated regions are out of date');
});

test('the README (or a docs page) carries the CDN snippet between generated markers', () => {
  const regions = markdownFiles().flatMap(file => regionsIn(readFileSync(join(ROOT, file), 'utf8')));
  assert.ok(regions.includes('cdn-snippet'), 'no <!-- generated:cdn-snippet --> region left in README.md or docs/');
  for (const name of regions) assert.ok(name in REGIONS, `region "${name}" has no renderer`);
});

test('regions are filled in every file and every place they stand; an unknown region name is an error', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'metered-call-snippets-'));
  try {
    const region = name => `<!-- generated:${name} -->\nold\n<!-- /generated:${name} -->`;
    writeFileSync(join(tmp, 'README.md'), `a\n${region('cdn-snippet')}\nb\n${region('cdn-snippet')}\n`);
    mkdirSync(join(tmp, 'docs/deep'), { recursive: true });
    writeFileSync(join(tmp, 'docs/deep/cdn.md'), region('sri-hashes'));
    writeFileSync(join(tmp, 'docs/other.txt'), region('cdn-snippet'));
    assert.deepEqual(markdownFiles(tmp).sort(), ['README.md', 'docs/deep/cdn.md']);

    const data = { version: '9.8.7', hashes: { 'dist/metered-call.js': 'sha384-AAA', 'dist/i18n/de.js': 'sha384-BBB' } };
    const readme = fillRegions(readFileSync(join(tmp, 'README.md'), 'utf8'), data);
    assert.equal(readme.match(/metered-call@9\.8\.7\/dist\/metered-call\.js"\n\s+integrity="sha384-AAA"/g)?.length, 2);
    assert.doesNotMatch(readme, /\bold\b/);
    assert.equal(fillRegions(readme, data), readme, 'filling is idempotent');
    const table = fillRegions(region('sri-hashes'), data);
    assert.match(table, /dist\/i18n\/de\.js.*sha384-BBB/);
    assert.throws(() => fillRegions(region('no-such-region'), data), /unknown generated region "no-such-region"/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('SRI covers every file for a <script> tag: the CDN bundle and each language export, not the npm build', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'metered-call-sri-'));
  try {
    const put = (rel, text = '') => {
      mkdirSync(dirname(join(tmp, rel)), { recursive: true });
      writeFileSync(join(tmp, rel), text);
    };
    put('package.json', JSON.stringify({
      unpkg: './dist/metered-call.js',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './i18n/de': { types: './dist/i18n/de.d.ts', default: './dist/i18n/de.js' },
        './i18n/fr': { types: './dist/i18n/fr.d.ts', default: './dist/i18n/fr.js' },
      },
    }));
    put('dist/metered-call.js', 'x');
    put('dist/metered-call.js.map');
    put('dist/index.js');
    put('dist/index.d.ts');
    put('dist/i18n/de.js');
    put('dist/i18n/de.d.ts');
    put('dist/i18n/fr.js');
    put('dist/i18n/en.js'); // the npm build's English module: not a language export
    put('dist/call/token.js');
    assert.deepEqual(scriptFiles(tmp), ['dist/i18n/de.js', 'dist/i18n/fr.js', 'dist/metered-call.js']);
    // what `printf x | openssl dgst -sha384 -binary | openssl base64 -A` prints
    assert.equal(sri('x'), 'sha384-11LCxR+6DimqGQVwqdQlPkQHegWNMpf6OlYw1b0BJiL5fCisrtMTtcg7uZDKp9qF');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
