// The README's CDN snippet, as a site owner pastes it, in Chromium: the <script> with the
// generated integrity hash loads and registers <metered-call> when the file is the one built
// from this tree, and the browser refuses the file when one byte differs. The "CDN" is a
// second local origin serving dist/ with CORS, standing in for jsDelivr (no network here).
// Run with `npm run test:package` (builds first; runs inside the loopback-only namespace).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cdnUrl, markdownFiles, packageVersion } from '../../scripts/snippets.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The HTML inside the first cdn-snippet region (README.md first, then docs/). */
function readmeSnippet() {
  for (const file of markdownFiles()) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const region = text.match(/<!-- generated:cdn-snippet -->\n```html\n([^]*?)\n```\n<!-- \/generated:cdn-snippet -->/);
    if (region) return region[1];
  }
  assert.fail('no filled cdn-snippet region in README.md or docs/');
}

const listen = handler =>
  new Promise(resolve => {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const close = server => new Promise(resolve => server.close(resolve));

test("the README's snippet loads the built file with its integrity hash, and the browser refuses a changed file", async () => {
  const snippet = readmeSnippet();
  const cdnBase = cdnUrl(packageVersion(), '');
  assert.ok(snippet.includes(cdnBase), `the snippet does not load from ${cdnBase}`);
  const built = readFileSync(join(ROOT, 'dist/metered-call.js'));
  const changed = Buffer.concat([built, Buffer.from('\n// one more line\n')]);
  const cdn = await listen((req, res) => {
    const body = req.url === '/dist/metered-call.js' ? built : req.url === '/changed/dist/metered-call.js' ? changed : null;
    if (!body) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/javascript', 'Access-Control-Allow-Origin': '*' }).end(body);
  });
  const cdnOrigin = `http://127.0.0.1:${cdn.address().port}`;
  const page = snippetBase =>
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">\n${snippet.replaceAll(cdnBase, snippetBase)}\n` +
    `<script>window.result = { defined: !!customElements.get('metered-call'), global: typeof MeteredCall };</script>`;
  const site = await listen((req, res) => {
    const html = req.url === '/' ? page(`${cdnOrigin}/`) : req.url === '/changed' ? page(`${cdnOrigin}/changed/`) : null;
    if (!html) return res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': 'text/html' }).end(html);
  });
  const { launchChromium } = await import('../harness/chromium.ts');
  const browser = await launchChromium();
  try {
    const open = async path => {
      const tab = await browser.newPage();
      const console = [];
      tab.on('console', m => console.push(m.text()));
      await tab.goto(`http://localhost:${site.address().port}${path}`);
      await tab.waitForFunction(() => window.result !== undefined);
      return { result: await tab.evaluate(() => window.result), console };
    };
    const good = await open('/');
    assert.deepEqual(good.result, { defined: true, global: 'function' }, good.console.join('\n'));
    const bad = await open('/changed');
    assert.deepEqual(bad.result, { defined: false, global: 'undefined' });
    assert.ok(bad.console.some(line => /integrity/i.test(line)), `no integrity error in the console:\n${bad.console.join('\n')}`);
  } finally {
    await browser.close();
    await close(site);
    await close(cdn);
  }
});
