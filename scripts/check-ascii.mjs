#!/usr/bin/env node
// Build check: fails when any .js file under dist/ (or the directories given) holds a
// non-ASCII byte. A site may serve our files without a charset from a page declared
// windows-1252 or Shift_JIS; only ASCII reads the same in every such encoding.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { jsFiles } from './escape-non-ascii.mjs';

const dirs = process.argv.slice(2);
if (!dirs.length) dirs.push(fileURLToPath(new URL('../dist', import.meta.url)));

const problems = [];
for (const dir of dirs) {
  for (const file of jsFiles(dir)) {
    const bytes = readFileSync(file);
    const at = bytes.findIndex(b => b > 0x7f);
    if (at < 0) continue;
    const before = bytes.subarray(0, at).toString('latin1');
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    const text = bytes.toString('utf8');
    const chars = text.match(/[^\x00-\x7f]/gu) ?? [];
    const first = String.fromCodePoint(bytes.subarray(at, at + 4).toString('utf8').codePointAt(0));
    problems.push(`${file}:${line}:${column} (byte ${at}): ${JSON.stringify(first)}, ${chars.length} non-ASCII character(s) in all`);
  }
}
if (problems.length) {
  console.error(`check-ascii: ${problems.length} file(s) are not pure ASCII; a page with a legacy charset would garble them:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
