#!/usr/bin/env node
// Prints the CDN bundle's size: raw and gzip (level 9), as the README reports it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const file = new URL('../dist/metered-call.js', import.meta.url);
const code = readFileSync(file);
const gzip = gzipSync(code, { level: 9 }).length;
console.log(`dist/metered-call.js: ${code.length} B, ${gzip} B gzip (${(gzip / 1024).toFixed(1)} KiB)`);
