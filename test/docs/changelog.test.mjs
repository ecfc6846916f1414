// CHANGELOG.md keeps the Keep a Changelog form and states what is breaking for the element.
// Run: npm run test:docs
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const changelog = readFileSync(new URL('../../CHANGELOG.md', import.meta.url), 'utf8');
const KINDS = ['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security'];

test('CHANGELOG.md: an Unreleased section, then each version as "## [x.y.z] - YYYY-MM-DD", entries under the six kinds', () => {
  const versions = [...changelog.matchAll(/^## \[([^\]]+)\](.*)$/gm)].map(m => ({ name: m[1], rest: m[2] }));
  assert.equal(versions[0]?.name, 'Unreleased');
  for (const v of versions.slice(1)) {
    assert.match(v.name, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, `## [${v.name}] is not a version`);
    assert.match(v.rest, /^ - \d{4}-\d{2}-\d{2}$/, `## [${v.name}] has no release date`);
  }
  for (const [, kind] of changelog.matchAll(/^### (.+)$/gm)) assert.ok(KINDS.includes(kind), `### ${kind} is not one of ${KINDS.join(', ')}`);
  assert.match(changelog, /^\[Unreleased\]: \S+$/m, 'the Unreleased link');
});

test('the versioning policy names what is breaking: attribute, event, part, custom property or error code removed or renamed', () => {
  const policy = changelog.slice(changelog.indexOf('## Versioning policy'), changelog.indexOf('## [Unreleased]'));
  const breaking = policy.slice(policy.indexOf('**Breaking**'), policy.indexOf('**Not breaking**'));
  for (const word of ['removing or renaming', 'attribute', 'event', 'part', 'custom\nproperty|custom property', 'error code']) {
    assert.match(breaking, new RegExp(word), `the breaking-change rule does not name "${word}"`);
  }
});
