#!/usr/bin/env node
// Fills the generated regions of README.md and docs/**/*.md — the CDN snippets with the real
// version and SRI hash, and the table of hashes — between `<!-- generated:NAME -->` and
// `<!-- /generated:NAME -->`, in every file and every place the markers stand. Never edit
// them by hand: `npm run build` rewrites them from package.json and the files in dist/.
//   node scripts/snippets.mjs          rewrite the files (after a build)
//   node scripts/snippets.mjs --check  exit 1 when a region is out of date
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scriptHashes } from './sri.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const cdnUrl = (version, file = 'dist/metered-call.js') => `https://cdn.jsdelivr.net/npm/metered-call@${version}/${file}`;

/** What goes between the markers, by region name, for a version and `{ file: 'sha384-…' }`. */
export const REGIONS = {
  'cdn-snippet': ({ version, hashes }) =>
    [
      '```html',
      `<script src="${cdnUrl(version)}"`,
      `        integrity="${hashes['dist/metered-call.js']}" crossorigin="anonymous"></script>`,
      '<metered-call room="team-standup" api-key="pk_live_…" turn-app="myapp" turn-api-key="…" autojoin></metered-call>',
      '```',
    ].join('\n'),
  'cdn-script-forms': ({ version, hashes }) => {
    const attrs = `src="${cdnUrl(version)}" integrity="${hashes['dist/metered-call.js']}" crossorigin="anonymous"`;
    return [
      '```html',
      '<!-- classic: runs where it stands (add defer to run it after the page is parsed) -->',
      `<script ${attrs}></script>`,
      '<!-- module: always deferred; module scripts are fetched with CORS, which both CDNs allow -->',
      `<script type="module" ${attrs}></script>`,
      '```',
    ].join('\n');
  },
  'sri-hashes': ({ version, hashes }) =>
    [
      `| File (version ${version}) | \`integrity\` |`,
      '| --- | --- |',
      ...Object.entries(hashes).map(([file, hash]) => `| [\`${file}\`](${cdnUrl(version, file)}) | \`${hash}\` |`),
    ].join('\n'),
};

const MARKER = /<!-- generated:([a-z0-9-]+) -->[^]*?<!-- \/generated:\1 -->/g;

/** `text` with every generated region re-rendered; throws on a region name nobody renders. */
export function fillRegions(text, data, regions = REGIONS) {
  return text.replace(MARKER, (_, name) => {
    const render = regions[name];
    if (!render) throw new Error(`unknown generated region "${name}" (known: ${Object.keys(regions).join(', ')})`);
    return `<!-- generated:${name} -->\n${render(data)}\n<!-- /generated:${name} -->`;
  });
}

/** The names of the generated regions in `text`, in order. */
export const regionsIn = text => [...text.matchAll(MARKER)].map(m => m[1]);

/** README.md and every docs/**\/*.md, relative to the repository. */
export function markdownFiles(root = ROOT) {
  const walk = dir =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap(e =>
      e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
    );
  return ['README.md', ...(existsSync(join(root, 'docs')) ? walk('docs') : [])].map(f => relative(root, join(root, f)).split('\\').join('/'));
}

export const packageVersion = (root = ROOT) => JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const data = { version: packageVersion(), hashes: scriptHashes() };
  if (!data.hashes['dist/metered-call.js']) {
    console.error('dist/metered-call.js is missing: run `npm run build` first.');
    process.exit(1);
  }
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const file of markdownFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const next = fillRegions(text, data);
    if (next === text) continue;
    if (check) {
      console.error(`${file}: generated snippets are out of date: run \`npm run build\`.`);
      stale++;
    } else {
      writeFileSync(join(ROOT, file), next);
      console.log(`${file}: snippets updated`);
    }
  }
  process.exit(stale ? 1 : 0);
}
