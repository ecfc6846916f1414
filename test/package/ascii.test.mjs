// The build's ASCII guarantee (issue 18): scripts/escape-non-ascii.mjs keeps a file's meaning
// while making it ASCII, and scripts/check-ascii.mjs (run by `npm run build`) fails on any
// non-ASCII byte in a .js file. `npm run test:package` builds first, so dist/ is checked too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeNonAscii } from '../../scripts/escape-non-ascii.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const check = (...dirs) => spawnSync(process.execPath, [join(ROOT, 'scripts/check-ascii.mjs'), ...dirs], { encoding: 'utf8' });

test('escaped code means the same: strings, tagged templates (cooked), regexps, astral characters', () => {
  const source = String.raw`
    const tag = (s, ...v) => s.join('|');
    const out = ['Prêt à rejoindre ?', tag${'`'}Rejoindre l’appel ${'${1}'} · ok${'`'}, /[é—]/u.test('—'), /É/.test('É'), '😀'.length];
    out;`;
  const ascii = escapeNonAscii(source);
  assert.match(ascii, /^[\x00-\x7f]*$/);
  assert.deepEqual(eval(ascii), eval(source));
  assert.throws(() => escapeNonAscii(String.raw`'\é'`), /backslash/);
});

test('check-ascii fails on a non-ASCII byte, naming the file and the character, and passes on ASCII', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-ascii-'));
  mkdirSync(join(dir, 'i18n'));
  writeFileSync(join(dir, 'ok.js'), 'export const s = "Pr\\u00eat";\n');
  writeFileSync(join(dir, 'notes.txt'), 'not JavaScript: ignored — é\n');
  assert.equal(check(dir).status, 0);
  writeFileSync(join(dir, 'i18n', 'fr.js'), 'export const s = "Prêt";\n');
  const failed = check(dir);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /i18n\/fr\.js:1:21 .*"ê"/);
});

test('the built dist/**/*.js is pure ASCII', () => {
  const result = check();
  assert.equal(result.status, 0, result.stderr);
});
