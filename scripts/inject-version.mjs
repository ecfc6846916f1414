#!/usr/bin/env node
// Writes package.json's version into the npm build: after `tsc -p tsconfig.build.json`, every
// `__METERED_CALL_VERSION__` in dist/*.js (only dist/version.js has one) becomes the version as
// a string literal. rollup does the same for dist/metered-call.js (@rollup/plugin-replace).
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PLACEHOLDER = '__METERED_CALL_VERSION__';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
const dist = join(ROOT, 'dist');

let injected = 0;
for (const entry of readdirSync(dist, { recursive: true })) {
  const file = join(dist, String(entry));
  if (!file.endsWith('.js') || file === join(dist, 'metered-call.js')) continue;
  const text = readFileSync(file, 'utf8');
  if (!text.includes(PLACEHOLDER)) continue;
  writeFileSync(file, text.replaceAll(PLACEHOLDER, JSON.stringify(version)));
  injected++;
}
if (injected === 0) {
  console.error(`inject-version: no ${PLACEHOLDER} in dist/: run tsc -p tsconfig.build.json first`);
  process.exit(1);
}
