#!/usr/bin/env node
// The CDN bundle's size, raw and gzip (level 9). `--readme` also writes it into
// docs/performance.md between <!-- size:start --> and <!-- size:end -->.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = new URL('../dist/metered-call.js', import.meta.url);
const code = readFileSync(file);
const gzip = gzipSync(code, { level: 9 }).length;
const line = `**${(gzip / 1024).toFixed(1)} KiB gzip** (${gzip} B; ${code.length} B minified).`;
console.log(`dist/metered-call.js: ${code.length} B, ${gzip} B gzip (${(gzip / 1024).toFixed(1)} KiB)`);
if (process.argv.includes('--readme')) {
  const readmeUrl = new URL('../docs/performance.md', import.meta.url);
  const readme = readFileSync(readmeUrl, 'utf8');
  const start = readme.indexOf('<!-- size:start -->');
  const end = readme.indexOf('<!-- size:end -->');
  if (start < 0 || end < start) throw new Error('docs/performance.md lacks the size markers');
  writeFileSync(readmeUrl, `${readme.slice(0, start + '<!-- size:start -->'.length)}\n${line}\n${readme.slice(end)}`);
}
