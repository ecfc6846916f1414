// The npm package as a user gets it: `npm pack`, installed from the tarball into a fresh
// app (offline, from the npm cache that `npm ci` filled: see consumer-lock.mjs), then its
// contents, its exports, its types (tsc on a small consumer, bundler and node16 resolution,
// React and Vue typings), importing it in Node with no DOM (SSR), and both entries plus the
// CDN file in Chromium — the entries bundled by Vite as an app would.
// Run with `npm run test:package` (builds first; runs inside the loopback-only namespace).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consumerLock } from './consumer-lock.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const rootPkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const manifest = JSON.parse(readFileSync(join(ROOT, 'custom-elements.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'metered-call-package-'));
const app = join(work, 'app');
const installed = join(app, 'node_modules', 'metered-call');
let files = [];

const run = (cmd, args, cwd, extra = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...extra });
const write = (rel, text) => {
  mkdirSync(join(app, rel, '..'), { recursive: true });
  writeFileSync(join(app, rel), text);
};
const element = (() => {
  for (const mod of manifest.modules) for (const d of mod.declarations ?? []) if (d.tagName === 'metered-call') return d;
  throw new Error('custom-elements.json has no <metered-call>');
})();

before(() => {
  // The build must be current (npm run test:package builds first): compare with the sources.
  const built = statSync(join(ROOT, 'dist/index.js')).mtimeMs;
  for (const src of ['index.ts', 'metered-call-element.ts', 'define.ts']) {
    assert.ok(statSync(join(ROOT, 'src', src)).mtimeMs <= built, `dist/ is older than src/${src}: run npm run build`);
  }
  const [info] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
  files = info.files.map(f => f.path).sort();
  mkdirSync(app);
  const consumer = {
    name: 'consumer',
    private: true,
    type: 'module',
    dependencies: {
      'metered-call': `file:../${info.filename}`,
      '@types/react': rootPkg.devDependencies['@types/react'],
      '@types/react-dom': rootPkg.devDependencies['@types/react-dom'],
      vue: rootPkg.devDependencies.vue,
    },
  };
  write('package.json', JSON.stringify(consumer));
  const projectLock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const pkg = { name: rootPkg.name, version: rootPkg.version, dependencies: rootPkg.dependencies, tarball: consumer.dependencies['metered-call'] };
  write('package-lock.json', JSON.stringify(consumerLock(projectLock, consumer, pkg), null, 2));
  // offline, inside the test namespace: every tarball comes from the npm cache that the
  // project's own `npm ci` filled (by integrity), none from a registry
  try {
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], app);
  } catch (err) {
    assert.fail(`npm ci --offline in the consumer app failed:\n${err.stdout}${err.stderr}`);
  }
}, { timeout: 60_000 });

after(() => rmSync(work, { recursive: true, force: true }));

test('the tarball holds the builds, types, maps, manifest, README, CHANGELOG and LICENSE — and nothing else', () => {
  for (const f of [
    'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'custom-elements.json',
    'dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/define.js', 'dist/define.d.ts',
    'dist/metered-call.js', 'dist/metered-call.js.map', 'dist/react.d.ts', 'dist/vue.d.ts',
    'dist/call/token.js', 'dist/call/token.d.ts',
  ]) assert.ok(files.includes(f), `${f} is missing from the tarball`);
  const stray = files.filter(
    f => !/^(package\.json|README\.md|CHANGELOG\.md|LICENSE|custom-elements\.json|dist\/.+\.(js|js\.map|d\.ts)|dist\/(web-types|vscode\.(html|css)-custom-data)\.json)$/.test(f),
  );
  assert.deepEqual(stray, [], 'files users do not need');
  // no leftovers of deleted sources: each module in dist comes from a source in src/
  for (const f of files.filter(f => /^dist\/.+\.js$/.test(f) && f !== 'dist/metered-call.js')) {
    assert.ok(existsSync(join(ROOT, f.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts'))), `${f} has no source (stale build?)`);
    assert.ok(files.includes(`${f}.map`), `${f} has no source map`);
  }
  // the CDN file is one self-contained classic script: no import/export statements left
  const cdn = readFileSync(join(ROOT, 'dist/metered-call.js'), 'utf8');
  assert.doesNotMatch(cdn, /^\s*(import|export)\s/m);
  assert.match(cdn, /sourceMappingURL=metered-call\.js\.map/);
});

test('package.json: exports with types, module/types/unpkg/jsdelivr, customElements, sideEffects', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ['@metered-ca/realtime', 'lit']);
  assert.equal(pkg.customElements, 'custom-elements.json');
  assert.equal(pkg.unpkg, './dist/metered-call.js');
  assert.equal(pkg.jsdelivr, './dist/metered-call.js');
  assert.equal(pkg.license, 'MIT');
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    const conditions = typeof target === 'string' ? { default: target } : target;
    if (typeof target !== 'string') assert.equal(Object.keys(target)[0], 'types', `${subpath}: "types" must come first`);
    for (const file of Object.values(conditions)) assert.ok(files.includes(file.replace(/^\.\//, '')), `${subpath} → ${file} not packed`);
  }
  for (const f of [pkg.module, pkg.types, pkg.main]) assert.ok(files.includes(f.replace(/^\.\//, '')));
  // registering entries are side effects; the class entry is not
  assert.ok(pkg.sideEffects.includes('./dist/define.js') && pkg.sideEffects.includes('./dist/metered-call.js'));
  assert.ok(!pkg.sideEffects.includes('./dist/index.js'));
});

test('importing every entry in Node (SSR: no window, no DOM) does not throw', () => {
  const script = `
    if (typeof window !== 'undefined' || typeof document !== 'undefined') throw new Error('not a DOM-less Node');
    const main = await import('metered-call');
    if (typeof main.MeteredCall !== 'function') throw new Error('no MeteredCall class');
    const before = globalThis.customElements?.get('metered-call');
    await import('metered-call/define');
    await import('metered-call/define.js');
    await import('metered-call/react');
    await import('metered-call/vue');
    const manifest = await import('metered-call/custom-elements.json', { with: { type: 'json' } });
    // the class entry registers nothing; define registers (on Lit's SSR shim registry)
    console.log(JSON.stringify({
      exports: Object.keys(main).sort(),
      registeredByMain: before !== undefined,
      registeredByDefine: globalThis.customElements?.get('metered-call') === main.MeteredCall,
      version: main.MeteredCall.version,
      modules: manifest.default.modules.length,
    }));`;
  const out = JSON.parse(run(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], app).trim().split('\n').pop());
  assert.ok(out.exports.includes('MeteredCall') && out.exports.includes('MeteredCallError') && out.exports.includes('EVENT_NAMES'));
  assert.equal(out.registeredByMain, false, 'importing the class entry must not register the element');
  assert.equal(out.registeredByDefine, true);
  assert.equal(out.version, rootPkg.version);
  assert.ok(out.modules > 0);
});

test('types: a TypeScript consumer compiles with bundler and node16 resolution, React and Vue typings included', () => {
  const attrs = element.attributes.filter(a => a.fieldName);
  const events = element.events.map(e => e.name);
  const pascal = name => name.replace(/(^|-)(\w)/g, (_, __, c) => c.toUpperCase());
  write(
    'src/consumer.ts',
    `import { MeteredCall, MeteredCallError, EVENT_NAMES, type MeteredCallErrorCode, type MeteredCallTokenProvider } from 'metered-call';
import 'metered-call/define';

const el = document.createElement('metered-call');
const same: MeteredCall = el;
el.room = 'standup';
el.autojoin = true;
el.tokenUrl = '/api/metered-token';
const provider: MeteredCallTokenProvider = async ({ room, signal }) => {
  const r = await fetch('/token?room=' + room, { signal });
  return (await r.json()) as { token: string; expiresAt: number };
};
el.tokenProvider = provider;
el.addEventListener('joined', e => e.detail.peerId.toUpperCase());
el.addEventListener('peer-joined', e => e.detail.peerId);
el.addEventListener('introduce', e => e.detail.username);
el.addEventListener('error', e => {
  const code: MeteredCallErrorCode = e.detail.code;
  const fatal: boolean = e.detail.fatal;
  return [code, fatal];
});
document.body.addEventListener('peer-left', e => e.detail.peerId); // bubbles, typed on every element
// @ts-expect-error the state is read-only
el.state = 'joined';
// @ts-expect-error room is a string
el.room = 5;
// @ts-expect-error no such event detail
el.addEventListener('joined', e => e.detail.nope);
MeteredCall.define('my-call');
const err = new MeteredCallError('token-failed', { detail: 'x' });
export { same, err, EVENT_NAMES };
`,
  );
  write(
    'src/react-consumer.tsx',
    `import type {} from 'metered-call/react';
import type { MeteredCallReactProps } from 'metered-call/react';
import type { MeteredCallAttributes } from 'metered-call';

export const call = (
  <metered-call room="standup" apiKey="pk_live_x" api-key="pk_live_x" token-url="/t" autojoin
    tokenProvider={async () => 'jwt'}
    onjoined={e => e.detail.room.toUpperCase()}
    onpeer-joined={e => e.detail.peerId}
    onerror={e => e.detail.code}
    style={{ height: 480 }}
  />
);
// @ts-expect-error room must be a string
export const bad = <metered-call room={5} />;
// @ts-expect-error joined's detail has no username
export const badEvent = <metered-call onjoined={e => e.detail.username} />;
// every attribute of the manifest is a prop, by property and by attribute name; every event has a handler prop
${attrs.map(a => `export const p_${a.fieldName}: MeteredCallReactProps['${a.fieldName}'] = undefined;`).join('\n')}
${attrs.map((a, i) => `export const a_${i}: MeteredCallAttributes['${a.name}'] = undefined;`).join('\n')}
${events.map((e, i) => `export const e_${i}: MeteredCallReactProps['on${e}'] = undefined;`).join('\n')}
`,
  );
  write(
    'src/vue-consumer.ts',
    `import type {} from 'metered-call/vue';
import type { GlobalComponents } from 'vue';
import type { MeteredCall } from 'metered-call';

type Instance = InstanceType<GlobalComponents['metered-call']>;
type Props = Instance['$props'];
export const props: Props = { room: 'standup', apiKey: 'k', onPeerJoined: e => e.detail.peerId, onError: e => e.detail.code };
export const isElement: MeteredCall = null as unknown as Instance;
// @ts-expect-error room must be a string
export const bad: Props = { room: 5 };
${attrs.map(a => `export const p_${a.fieldName}: Props['${a.fieldName}'] = undefined;`).join('\n')}
${events.map((e, i) => `export const e_${i}: Props['on${pascal(e)}'] = undefined;`).join('\n')}
`,
  );
  // the React demo app is a typed consumer too
  write('src/demo-react.tsx', readFileSync(join(ROOT, 'demo/react/main.tsx'), 'utf8'));
  const base = {
    target: 'ES2022', lib: ['ES2022', 'DOM', 'DOM.Iterable'], strict: true, noEmit: true, jsx: 'react-jsx',
    skipLibCheck: false, types: [], rootDir: 'src',
  };
  write('tsconfig.json', JSON.stringify({ compilerOptions: { ...base, module: 'ESNext', moduleResolution: 'bundler' }, include: ['src'] }));
  // node16: only resolution differs, so the libraries' own .d.ts need not be checked twice
  write('tsconfig.node16.json', JSON.stringify({ compilerOptions: { ...base, module: 'Node16', moduleResolution: 'Node16', skipLibCheck: true }, include: ['src'] }));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  for (const config of ['tsconfig.json', 'tsconfig.node16.json']) {
    try {
      run(process.execPath, [tsc, '-p', config], app);
    } catch (err) {
      assert.fail(`tsc -p ${config} failed:\n${err.stdout}${err.stderr}`);
    }
  }
});

test('in Chromium: metered-call/define joins a call, metered-call registers nothing until define(), the CDN file loads twice', async () => {
  const { build } = await import('vite');
  const { startServer } = await import('../../server/index.ts');
  const { launchChromium } = await import('../harness/chromium.ts');
  write(
    'define.html',
    `<!doctype html><meta charset="utf-8"><metered-call id="call"></metered-call><script type="module" src="./define.js"></script>`,
  );
  write(
    'define.js',
    `import 'metered-call/define';
const q = new URLSearchParams(location.search);
const el = document.getElementById('call');
Object.assign(el, { serverUrl: q.get('server'), turnUrl: q.get('turn'), apiKey: 'pk_live_local', room: 'package-' + Date.now() });
window.result = el.join().then(
  () => ({ state: el.state, peerId: el.peerId, upgraded: el === document.querySelector('metered-call') && el.shadowRoot !== null }),
  e => ({ error: String(e) }));`,
  );
  write('class.html', `<!doctype html><meta charset="utf-8"><my-call></my-call><script type="module" src="./class.js"></script>`);
  write(
    'class.js',
    `import { MeteredCall } from 'metered-call';
const before = customElements.get('metered-call') ?? null;
MeteredCall.define('my-call');
const el = document.querySelector('my-call');
window.result = el.updateComplete.then(() => ({
  before, mine: customElements.get('my-call') === MeteredCall, lobby: !!el.shadowRoot.querySelector('[part~="lobby"]'),
}));`,
  );
  // the CDN file, loaded twice (CMSs paste snippets twice)
  write(
    'cdn.html',
    `<!doctype html><meta charset="utf-8"><metered-call room="cdn"></metered-call>
<script src="/node_modules/metered-call/dist/metered-call.js"></script>
<script src="/node_modules/metered-call/dist/metered-call.js"></script>
<script>window.result = customElements.whenDefined('metered-call').then(() => {
  const el = document.querySelector('metered-call');
  return el.updateComplete.then(() => ({ global: typeof MeteredCall, same: customElements.get('metered-call') === MeteredCall,
    lobby: !!el.shadowRoot.querySelector('[part~="lobby"]') }));
});</script>`,
  );
  await build({
    root: app,
    logLevel: 'silent',
    configFile: false,
    build: { outDir: 'web', emptyOutDir: true, minify: false, rollupOptions: { input: { define: join(app, 'define.html'), class: join(app, 'class.html') } } },
  });
  const server = await startServer({ port: 0, log: false });
  const http = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
    const file = join(app, path.startsWith('/node_modules/') || path === '/cdn.html' ? '' : 'web', path);
    if (!file.startsWith(app) || !existsSync(file) || statSync(file).isDirectory()) return res.writeHead(404).end();
    const type = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' }[extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type });
    createReadStream(file).pipe(res);
  });
  await new Promise(resolve => http.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${http.address().port}`;
  const browser = await launchChromium();
  try {
    const open = async path => {
      const page = await browser.newPage();
      const errors = [];
      page.on('pageerror', e => errors.push(String(e)));
      await page.goto(`${origin}/${path}`);
      await page.waitForFunction(() => window.result !== undefined);
      return { result: await page.evaluate(() => window.result), errors };
    };
    const turn = `${server.turnCredentialsUrl}?apiKey=pk_live_local`;
    const define = await open(`define.html?server=${encodeURIComponent(server.wsUrl)}&turn=${encodeURIComponent(turn)}`);
    assert.deepEqual(define.errors, []);
    assert.equal(define.result.error, undefined, define.result.error);
    assert.equal(define.result.state, 'joined');
    assert.ok(define.result.upgraded);
    const klass = await open('class.html');
    assert.deepEqual(klass, { result: { before: null, mine: true, lobby: true }, errors: [] });
    const cdn = await open('cdn.html');
    assert.deepEqual(cdn, { result: { global: 'function', same: true, lobby: true }, errors: [] });
  } finally {
    await browser.close();
    await new Promise(resolve => http.close(resolve));
    await server.close();
  }
});
