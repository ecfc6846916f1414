#!/usr/bin/env node
// Rewrites every non-ASCII character of JavaScript as a \uXXXX escape (astral characters as
// a surrogate pair), so the file means the same whatever charset a page or a server makes
// the browser decode it with. \uXXXX is valid where non-ASCII text appears in our code:
// strings, template literals (Lit's css`` and html`` read the cooked text, which is
// unchanged), regular expressions with or without the u flag, identifiers and comments.
// `node scripts/escape-non-ascii.mjs <dir>…` rewrites the .js files under each directory
// in place (the tsc output in dist/; the rollup bundle is escaped by its own build).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `code` with each non-ASCII UTF-16 code unit written as \uXXXX. */
export function escapeNonAscii(code, file = 'input') {
  return code.replace(/(\\*)([^\x00-\x7f])/g, (_, slashes, unit) => {
    // `\é` would become `\\u00e9`, an escaped backslash: refuse rather than change the meaning
    if (slashes.length % 2) throw new Error(`${file}: a backslash before U+${unit.charCodeAt(0).toString(16)}; escape it by hand`);
    return `${slashes}\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Every .js file under `dir`. */
export function jsFiles(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter(e => e.isFile() && e.name.endsWith('.js'))
    .map(e => join(e.parentPath ?? e.path, e.name));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const dir of process.argv.slice(2)) {
    for (const file of jsFiles(dir)) {
      const code = readFileSync(file, 'utf8');
      const ascii = escapeNonAscii(code, file);
      if (ascii !== code) writeFileSync(file, ascii);
    }
  }
}
