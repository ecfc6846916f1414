// The README and the docs/ pages stand alone: every relative link resolves to a file of the
// repository (and, with `#anchor`, to a heading of that page), and no stale line remains.
// Run: npm run test:docs   (node --import tsx --test test/docs/)
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter(f => f.endsWith('.md')).map(f => `docs/${f}`)];

/** Markdown without fenced code blocks and code spans (a link written as code is not a link). */
const prose = md => md.replace(/^```[^]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(md) {
  const seen = new Map();
  const anchors = new Set();
  for (const [, heading] of md.replace(/^```[^]*?^```/gm, '').matchAll(/^#{1,6} +(.+?) *#*$/gm)) {
    const slug = heading
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n ? `${slug}-${n}` : slug);
  }
  return anchors;
}

/** Every relative link target of a page: `[text](target)` and `![alt](target)`. */
export function linksOf(md) {
  return [...prose(md).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map(m => m[1])
    .filter(target => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

test('every relative link in README.md and docs/*.md resolves, #anchors included', () => {
  const broken = [];
  for (const page of pages) {
    const md = readFileSync(join(root, page), 'utf8');
    for (const target of linksOf(md)) {
      const [path, anchor] = target.split('#');
      const file = path ? join(dirname(join(root, page)), decodeURIComponent(path)) : join(root, page);
      if (!existsSync(file)) {
        broken.push(`${page}: ${target} (no such file)`);
        continue;
      }
      if (anchor && statSync(file).isFile() && file.endsWith('.md') && !anchorsOf(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${page}: ${target} (no heading #${anchor} in ${relative(root, file)})`);
      }
    }
  }
  assert.deepEqual(broken, []);
});

/** Lines that were true once, or never, or point outside the repository. */
const STALE = [
  /when it lands/i,
  /turn on sound/i,
  /filled in as the project grows/i,
  /DEFAULT_MAX_PEERS/,
  /\.\.\/shared\//,
  /(^|[^/\w])shared\/\w+\.md/,
  /environment\.md/,
  /(?<!docs\/)(?<![\w/])protocol\.md §/,
];

test('no stale marker or outside reference remains in README.md and docs/*.md', () => {
  const found = [];
  for (const page of pages) {
    readFileSync(join(root, page), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const marker of STALE) if (marker.test(line)) found.push(`${page}:${i + 1}: ${line.trim()}`);
      });
  }
  assert.deepEqual(found, []);
});

test('the link checker itself: a missing file, a missing anchor and an anchor with code and punctuation', () => {
  assert.deepEqual(linksOf('[a](docs/x.md#y) ![b](c.png) [c](https://x.org) `[d](e.md)`'), ['docs/x.md#y', 'c.png']);
  const anchors = anchorsOf('# Using `<metered-call>`\n## From npm, in React and in Vue\n## Notes\n## Notes');
  assert.deepEqual([...anchors], ['using-metered-call', 'from-npm-in-react-and-in-vue', 'notes', 'notes-1']);
});
