// docs/errors.md explains every error code: the error event's message links to `#<code>` there,
// so each code needs its own section (a `### \`code\`` heading, whose anchor is the code).
// Run: npm run test:docs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERRORS, ERRORS_DOC, MeteredCallError } from '../../src/errors.ts';

const page = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

test('docs/errors.md has one section per error code, and no section for a code that does not exist', () => {
  const sections = [...page.matchAll(/^### `([a-z-]+)`$/gm)].map(m => m[1]).sort();
  assert.deepEqual(sections, Object.keys(ERRORS).sort());
});

test('the error message links to the code\'s section of docs/errors.md', () => {
  assert.match(ERRORS_DOC, /\/docs\/errors\.md$/);
  const error = new MeteredCallError('invalid-key');
  assert.ok(error.message.endsWith(`${ERRORS_DOC}#invalid-key`), error.message);
});
