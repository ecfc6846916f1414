// Size: what each option adds to a page, as gzip and brotli bytes of one minified bundle.
// Every npm package is bundled the same way (esbuild: bundle, minify, IIFE, browser
// platform, production defines), from an entry that imports what a page would use.
// Our element is measured as shipped (dist/metered-call.js, rollup + terser) and, for
// parity, re-minified through the same esbuild pass.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, type Result } from '../lib/results.ts';
import { bytesBySource, groupSource } from '../lib/sourcemap.ts';

export interface SizeRow { id: string; label: string; version: string; raw: number; gzip: number; brotli: number; note?: string }

// `file`: bundled as the entry point itself (an `import './x.js'` from stdin would be dropped
// as side-effect free under this package's "sideEffects" list)
const ENTRIES: { id: string; label: string; pkg: string; code: string; file?: string; note?: string; esm?: boolean }[] = [
  { id: 'sdk', label: '@metered-ca/realtime (SDK alone)', pkg: '@metered-ca/realtime',
    code: `import { MeteredPeer } from '@metered-ca/realtime'; window.__x = MeteredPeer;` },
  { id: 'plain-page', label: 'plain SDK page (tutorial call.js + SDK)', pkg: '@metered-ca/realtime',
    code: '', file: 'test/fixtures/plain-sdk.js', esm: true }, // a module script with top-level await
  { id: 'peerjs', label: 'peerjs', pkg: 'peerjs', code: `import { Peer } from 'peerjs'; window.__x = Peer;` },
  { id: 'simple-peer', label: 'simple-peer', pkg: 'simple-peer',
    code: `import SimplePeer from 'simple-peer'; window.__x = SimplePeer;` },
  { id: 'trystero', label: 'trystero (nostr)', pkg: 'trystero', code: `import { joinRoom } from 'trystero'; window.__x = joinRoom;` },
  { id: 'daily', label: '@daily-co/daily-js', pkg: '@daily-co/daily-js',
    code: `import Daily from '@daily-co/daily-js'; window.__x = Daily;`,
    note: 'loads its call engine from Daily\'s CDN at run time (not counted)' },
  { id: 'livekit', label: 'livekit-client', pkg: 'livekit-client', code: `import { Room } from 'livekit-client'; window.__x = Room;` },
  { id: 'whereby', label: '@whereby.com/browser-sdk/embed', pkg: '@whereby.com/browser-sdk',
    code: `import '@whereby.com/browser-sdk/embed';`,
    note: 'an <iframe> wrapper: the call UI loads from whereby.com (not counted)' },
];

const require = createRequire(join(ROOT, 'package.json'));
const versionOf = (pkg: string) => {
  try {
    return JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version as string;
  } catch {
    return require(`${pkg}/package.json`).version as string;
  }
};

const compress = (code: Uint8Array) => ({
  raw: code.byteLength,
  gzip: gzipSync(code, { level: 9 }).byteLength,
  brotli: brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.byteLength },
  }).byteLength,
});

async function bundle(code: string, esm = false, file?: string): Promise<Uint8Array> {
  const out = await build({
    ...(file ? { entryPoints: [join(ROOT, file)] } : { stdin: { contents: code, resolveDir: ROOT, loader: 'js' as const } }),
    bundle: true, minify: true, format: esm ? 'esm' : 'iife', platform: 'browser', target: esm ? 'es2022' : 'es2020',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    legalComments: 'none', write: false, logLevel: 'silent',
  });
  return out.outputFiles[0]!.contents;
}

/** The element bundle under test: dist/metered-call.js, or another build given with --element=<file>. */
export const elementBundle = () => process.env.BENCH_ELEMENT || join(ROOT, 'dist', 'metered-call.js');

export interface SizePart { part: string; raw: number; gzipShare: number }

/** Where the element bundle's bytes come from (its source map); gzip shares are proportional estimates. */
function breakdown(code: string, gzip: number): SizePart[] | null {
  const mapFile = `${elementBundle()}.map`;
  if (!existsSync(mapFile)) return null;
  const bySource = bytesBySource(code, JSON.parse(readFileSync(mapFile, 'utf8')));
  const groups = new Map<string, number>();
  for (const [src, n] of bySource) groups.set(groupSource(src), (groups.get(groupSource(src)) ?? 0) + n);
  const total = [...groups.values()].reduce((a, b) => a + b, 0);
  return [...groups].sort((a, b) => b[1] - a[1]).map(([part, raw]) => ({ part, raw, gzipShare: Math.round((raw / total) * gzip) }));
}

export async function runSize(log: (s: string) => void): Promise<{ rows: SizeRow[]; results: Result[]; parts: SizePart[] | null }> {
  const rows: SizeRow[] = [];
  let parts: SizePart[] | null = null;
  if (existsSync(elementBundle())) {
    const shipped = readFileSync(elementBundle());
    rows.push({ id: 'element', label: '<metered-call> dist/metered-call.js (as shipped)', version: versionOf('.'), ...compress(shipped) });
    parts = breakdown(shipped.toString('utf8'), rows[0]!.gzip);
    rows.push({ id: 'element-esbuild', label: '<metered-call>, re-minified by the same esbuild pass', version: versionOf('.'),
      ...compress(await bundle(shipped.toString('utf8'))) });
  } else {
    log(`size: ${elementBundle()} missing (run \`npm run build\`); the element is left out`);
  }
  for (const e of ENTRIES) {
    try {
      // (an empty bundle means the entry was tree-shaken away: fail loudly rather than report 0 bytes)
      const sizes = compress(await bundle(e.code, e.esm, e.file));
      if (sizes.raw < 1000) throw new Error(`bundle of ${sizes.raw} bytes: the entry was tree-shaken away`);
      rows.push({ id: e.id, label: e.label, version: versionOf(e.pkg), ...sizes, ...(e.note ? { note: e.note } : {}) });
    } catch (err) {
      log(`size: ${e.label} failed to bundle: ${String(err).split('\n')[0]}`);
    }
  }
  const el = rows.find(r => r.id === 'element');
  const results: Result[] = [];
  for (const r of rows) {
    for (const kind of ['gzip', 'brotli'] as const) {
      results.push({
        scenario: 'size', figure: `${r.label} ${kind}`, contender: r.id, unit: 'B', n: 1,
        median: r[kind], p95: r[kind],
        ratios: el && r.id !== 'element' ? { element: el[kind] / r[kind] } : {},
        ...(r.id === 'element' && kind === 'gzip' ? { goal: 'under 25 KB gzip (25,600 B)', met: r.gzip < 25 * 1024 } : {}),
      });
    }
  }
  if (parts) {
    const el = rows[0]!;
    results.push({
      scenario: 'size', figure: 'element bundle by source (minified bytes; gzip share estimated pro rata)', contender: 'element', unit: 'parts',
      n: 1, median: null, p95: null, ratios: {}, extra: { parts, raw: el.raw, gzip: el.gzip },
    });
  }
  return { rows, results, parts };
}
