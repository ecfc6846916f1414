#!/usr/bin/env node
// Subresource Integrity hashes of the files a page loads with a <script> tag: every .js in
// dist/ and dist/i18n/ that has no .d.ts beside it. (tsc's npm build writes a .d.ts next to
// each module it emits; the files rollup bundles for <script src> have none.) A new bundle or
// language file is picked up without touching this script.
//   node scripts/sri.mjs        print "sha384-… dist/file.js" for each, after a build
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SCRIPT_DIRS = ['dist', 'dist/i18n'];

/** `sha384-<base64>` of some bytes, as an `integrity` attribute takes it. */
export const sri = bytes => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Paths (relative to the repository, sorted) of the built files meant for a <script> tag. */
export function scriptFiles(root = ROOT) {
  const found = [];
  for (const dir of SCRIPT_DIRS) {
    const abs = join(root, dir);
    if (!existsSync(abs)) continue;
    for (const name of readdirSync(abs)) {
      if (!name.endsWith('.js') || existsSync(join(abs, name.replace(/\.js$/, '.d.ts')))) continue;
      found.push(relative(root, join(abs, name)).split('\\').join('/'));
    }
  }
  return found.sort();
}

/** `{ 'dist/metered-call.js': 'sha384-…', … }` for the files on disk now. */
export function scriptHashes(root = ROOT) {
  return Object.fromEntries(scriptFiles(root).map(f => [f, sri(readFileSync(join(root, f)))]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const hashes = scriptHashes();
  if (!hashes['dist/metered-call.js']) {
    console.error('dist/metered-call.js is missing: run `npm run build` first.');
    process.exit(1);
  }
  console.log('SRI (integrity="…") of the files for <script> tags:');
  for (const [file, hash] of Object.entries(hashes)) console.log(`  ${hash}  ${file}`);
}
