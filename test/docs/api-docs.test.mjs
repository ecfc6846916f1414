// Docs drift: custom-elements.json must be what the analyzer makes of the sources today,
// docs/api.md's generated blocks must be what the manifest and src/errors.ts give, and the
// manifest must list exactly the events and custom properties the code has.
// Run: npm run test:docs   (node --import tsx --test test/docs/)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { test } from 'node:test';
import { API_PAGE, elementOf, expectedApiPage } from '../../scripts/api-tables.mjs';
import { ERRORS } from '../../src/errors.ts';
import { EVENT_NAMES } from '../../src/events.ts';

const root = new URL('../../', import.meta.url);
const read = path => readFileSync(new URL(path, root), 'utf8');
const manifest = JSON.parse(read('custom-elements.json'));
/** The element's whole style sheet: its base (src/metered-call.styles.ts) and each part's beside it in src/ui/. */
const styleSources = () =>
  [read('src/metered-call.styles.ts'), ...readdirSync(new URL('src/ui/', root)).filter(f => f.endsWith('.styles.ts')).map(f => read(`src/ui/${f}`))].join('\n');

test('custom-elements.json is what the analyzer makes of the sources (run `npm run docs`)', () => {
  // the analyzer resolves --outdir against the working directory
  const out = `node_modules/.cache/metered-call-cem-${process.pid}`;
  try {
    execFileSync('npx', ['cem', 'analyze', '--config', 'custom-elements-manifest.config.mjs', '--outdir', out], {
      cwd: root,
      stdio: 'pipe',
    });
    assert.deepEqual(manifest, JSON.parse(read(`${out}/custom-elements.json`)));
  } finally {
    rmSync(new URL(out, root), { recursive: true, force: true });
  }
});

test(`${API_PAGE}'s API and error tables are generated from the manifest and src/errors.ts (run \`npm run docs\`)`, () => {
  const page = read(API_PAGE);
  assert.equal(page, expectedApiPage(page, manifest, ERRORS));
});

test('the manifest documents exactly the events the element fires', () => {
  const documented = elementOf(manifest).events.map(e => e.name).sort();
  assert.deepEqual(documented, [...EVENT_NAMES].sort());
});

test('the manifest documents exactly the --metered-call-* custom properties the styles read', () => {
  const used = [...new Set(styleSources().match(/--metered-call-[a-z-]+/g))].sort();
  const documented = elementOf(manifest).cssProperties.map(p => p.name).sort();
  assert.deepEqual(documented, used);
});

test('every private --_* token the styles use is defined once, and every defined one is used', () => {
  const css = styleSources();
  const defined = [...css.matchAll(/(--_[a-z-]+)\s*:/g)].map(m => m[1]);
  const used = new Set([...css.matchAll(/var\((--_[a-z-]+)/g)].map(m => m[1]));
  assert.deepEqual([...new Set(defined)].filter(t => !used.has(t)), [], 'defined but unused');
  assert.deepEqual([...used].filter(t => !defined.includes(t)), [], 'used but undefined');
});
