#!/usr/bin/env node
// Subresource Integrity hashes of the files a page loads with a <script> tag: the CDN bundle
// (package.json's "unpkg" file) and every optional language file (the targets of its
// "./i18n/<lang>" exports, which serve npm imports and <script src> alike). Read from the
// package.json beside the files, so it works on a checkout and on a packed tarball, and a
// new language is picked up from its export without touching this script.
//   node scripts/sri.mjs        print "sha384-… dist/file.js" for each, after a build
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `sha384-<base64>` of some bytes, as an `integrity` attribute takes it. */
export const sri = bytes => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;

/** Paths (relative to the package root, sorted) of the built files meant for a <script> tag that exist now. */
export function scriptFiles(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const languages = Object.entries(pkg.exports ?? {})
    .filter(([subpath]) => /^\.\/i18n\/[^/]+$/.test(subpath))
    .map(([, target]) => (typeof target === 'string' ? target : target.default));
  return [pkg.unpkg, ...languages]
    .filter(Boolean)
    .map(file => file.replace(/^\.\//, ''))
    .filter(file => existsSync(join(root, file)))
    .sort();
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
