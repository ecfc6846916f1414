#!/usr/bin/env node
// Screenshots of <metered-call> in each state — pre-join, joining, joined with peers,
// error, left (plus a shared screen with chat, the device panel and leave question of
// issue 15's extras, and its people panel and reaction picker) — in both themes at 320, 768 and 1440 px,
// saved in docs/screenshots/<state>-<theme>-<width>.png; and demo/theming.html in a call, in each
// of its three looks (docs/screenshots/theming-<look>.png).
//
//   npm run screenshots:ui -- [--only=joined] [--widths=768] [--themes=dark]
//   (= sh scripts/netns.sh node scripts/ui-screenshots.mjs …)
//
// Real Chromium (Debian's, as the tests use it: fake camera and microphone, no prompts),
// a real local server (server/index.ts) and the element built from src/ with esbuild.
// Every participant is its own browser context (a separate visitor). Runs inside the
// loopback network namespace (scripts/netns.sh): WebRTC never touches the machine's network.
// The PNGs are committed: with pngquant installed (apt-get install pngquant) each is reduced
// to a palette image, about a third of the size; without it they are kept as Chromium wrote them.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

register();
const { startServer } = await import('../server/index.ts');
const { chromiumArgs } = await import('../test/harness/chromium.ts');

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = `${root}docs/screenshots`;
const arg = name => process.argv.find(a => a.startsWith(`--${name}=`))?.split('=')[1];
const only = arg('only')?.split(',');
const widths = (arg('widths') ?? '320,768,1440').split(',').map(Number);
const themes = (arg('themes') ?? 'light,dark').split(',');
const HEIGHT = { 320: 640, 768: 620, 1440: 820 };

// the element, as one bundle (what dist/metered-call.js holds, without the minifier)
const bundle = (
  await build({
    entryPoints: [`${root}src/cdn.ts`],
    bundle: true,
    format: 'iife',
    write: false,
    tsconfig: `${root}tsconfig.json`,
    logLevel: 'error',
  })
).outputFiles[0].text;

const page = theme => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>metered-call</title>
<style>
  html, body { margin: 0; height: 100%; background: ${theme === 'dark' ? '#05070b' : '#e9ecf1'}; }
  body { box-sizing: border-box; padding: 12px; }
  metered-call { height: 100%; }
</style>
<script src="/mc.js"></script>
</head><body>
<metered-call theme="${theme}"></metered-call>
<script>
  const q = new URLSearchParams(location.search);
  const el = document.querySelector('metered-call');
  for (const [k, v] of q) if (k !== 'hang') v === '' ? el.setAttribute(k, '') : el.setAttribute(k, v);
  // "joining" held still for the picture: a token that never comes
  if (q.has('hang')) el.tokenProvider = () => new Promise(() => {});
  window.el = el;
</script>
</body></html>`;

const http = createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  // the theming demo page, as `npm start` serves it: /dist/metered-call.js, server on :8080
  if (url.pathname === '/demo/theming.html') {
    res.setHeader('content-type', 'text/html');
    return res.end(readFileSync(`${root}demo/theming.html`));
  }
  if (url.pathname === '/mc.js' || url.pathname === '/dist/metered-call.js') {
    res.setHeader('content-type', 'text/javascript');
    return res.end(bundle);
  }
  res.setHeader('content-type', 'text/html');
  res.end(page(url.searchParams.get('theme') ?? 'dark'));
});
// port 8000 as under `npm start` (the error shot names the page's origin); any port if it is taken
await new Promise((resolve, reject) => {
  http.once('error', e => (e.code === 'EADDRINUSE' ? http.listen(0, '127.0.0.1', resolve) : reject(e)));
  http.listen(8000, '127.0.0.1', resolve);
});
const origin = `http://localhost:${http.address().port}`;

// port 8080, where demo/theming.html looks for it (this is the namespace's own loopback)
const server = await startServer({ turn: false, port: 8080 });
const common = { 'server-url': server.wsUrl, 'turn-url': `${server.turnCredentialsUrl}?apiKey=pk_live_local`, 'api-key': 'pk_live_local' };
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumArgs });
mkdirSync(outDir, { recursive: true });

/** A visitor: its own browser context and page, with `attrs` on the element. */
async function visitor(attrs, { width = 640, height = 480, theme = 'dark' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.on('pageerror', e => console.error('page error:', e.message));
  p.on('console', m => m.type() === 'error' && console.error('page console:', m.text()));
  const url = new URL('/call.html', origin);
  for (const [k, v] of Object.entries({ theme, ...attrs })) url.searchParams.set(k, v);
  await p.goto(url.href);
  return { page: p, close: () => context.close() };
}

const joined = p => p.waitForFunction(() => window.el.state === 'joined', null, { timeout: 20000 });
/** Every visible video in the element is playing and has presented frames (no black rectangles in the pictures). */
const framesShown = async p => {
  await p.waitForFunction(
    () => {
      const videos = [...window.el.shadowRoot.querySelectorAll('video')].filter(v => !v.hidden);
      return videos.length > 0 && videos.every(v => !v.paused && v.readyState >= 3 && v.videoWidth > 0);
    },
    null,
    { timeout: 20000 },
  );
  await p.evaluate(() =>
    Promise.all(
      [...window.el.shadowRoot.querySelectorAll('video')]
        .filter(v => !v.hidden)
        .map(v => new Promise(r => v.requestVideoFrameCallback(() => v.requestVideoFrameCallback(() => v.requestVideoFrameCallback(r))))),
    ),
  );
};
/** `n` remote tiles, every connection up (one newcomer at a time keeps a small machine's mesh calm). */
const connected = (p, n) =>
  p.waitForFunction(
    n => {
      const tiles = [...window.el.shadowRoot.querySelectorAll('[part~="remote"]')];
      return tiles.length === n && tiles.every(t => t.dataset.connection === 'connected');
    },
    n,
    { timeout: 30000 },
  );
const settle = p => p.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));

let pngquant = true;
async function shoot(p, name) {
  await settle(p);
  const file = `${outDir}/${name}.png`;
  await p.locator('metered-call').screenshot({ path: file, animations: 'disabled' });
  if (pngquant) {
    // exit 98/99: the result would be larger or too lossy, and the original stays
    const q = spawnSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=70-95', '--ext', '.png', file]);
    if (q.error) {
      pngquant = false;
      console.warn('pngquant not found: PNGs are saved unoptimised');
    }
  }
  console.log('saved', file.slice(root.length));
}

// a fresh room for every call (the shots run one after another on one server), named like a real one
const roomNames = ['design-review', 'weekly-sync', 'team-standup', 'product-demo', 'sprint-planning', 'user-interviews'];
let rooms = 0;
const room = () => {
  const i = rooms++;
  const lap = Math.floor(i / roomNames.length);
  return lap ? `${roomNames[i % roomNames.length]}-${lap + 1}` : roomNames[i];
};

/**
 * Bruno and Chiara join room `r` (a mesh of three is what this two-core machine connects
 * reliably): one with camera on, one with camera and microphone off.
 */
async function twoOthers(r) {
  const others = [];
  for (const [name, off] of [
    ['Bruno Costa', []],
    ['Chiara Rossi', ['camera', 'mic']],
  ]) {
    const o = await visitor({ ...common, room: r, name, autojoin: '' });
    await joined(o.page);
    await connected(o.page, others.length);
    for (const kind of off) await o.page.evaluate(kind => window.el.shadowRoot.querySelector(`[part~="${kind}-button"]`).click(), kind);
    others.push(o);
  }
  return others;
}

const scenarios = {
  async prejoin(theme, width) {
    const v = await visitor({ ...common, room: 'design-review', name: 'Ana Lima' }, { width, height: HEIGHT[width], theme });
    await framesShown(v.page);
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('select'));
    await shoot(v.page, `prejoin-${theme}-${width}`);
    await v.close();
  },
  async joining(theme, width) {
    const v = await visitor({ ...common, room: 'design-review', name: 'Ana Lima', hang: '1' }, { width, height: HEIGHT[width], theme });
    await framesShown(v.page);
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="join-button"]').click());
    await v.page.waitForFunction(() => window.el.state === 'joining');
    await framesShown(v.page);
    await shoot(v.page, `joining-${theme}-${width}`);
    await v.close();
  },
  async joined(theme, width) {
    const r = room();
    const others = await twoOthers(r);
    const v = await visitor({ ...common, room: r, name: 'Ana Lima', autojoin: '', chat: '' }, { width, height: HEIGHT[width], theme });
    await joined(v.page);
    await connected(v.page, 2);
    await v.page.waitForFunction(
      () => window.el.shadowRoot.querySelectorAll('[part~="remote"]').length === 2 && [...window.el.shadowRoot.querySelectorAll('[part~="remote"] [part~="name"]')].every(n => n.textContent !== 'Guest') && window.el.shadowRoot.querySelector('[part~="video-off"][part~="audio-off"][part~="remote"]'),
      null,
      { timeout: 20000 },
    );
    await framesShown(v.page);
    await shoot(v.page, `joined-${theme}-${width}`);

    // Bruno shares his screen and says something; Ana opens the chat
    await others[0].page.evaluate(() => window.el.shadowRoot.querySelector('[part~="screen-button"]').click());
    await others[0].page.waitForFunction(() => window.el.hasAttribute('sharing'));
    await others[0].page.evaluate(() => window.el.sendChat('Here is the new onboarding flow. Thoughts on step 3?'));
    await others[1].page.evaluate(() => window.el.sendChat('Love the progress bar!'));
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('[part~="screen"][part~="main"] video')?.videoWidth > 0, null, { timeout: 20000 });
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="chat-button"]').click());
    await v.page.evaluate(() => window.el.sendChat('Step 3 could lose the second field.'));
    await framesShown(v.page);
    await shoot(v.page, `sharing-${theme}-${width}`);
    await v.close();
    for (const o of others) await o.close();
  },
  async error(theme, width) {
    const v = await visitor({ ...common, 'api-key': 'pk_live_unknown', room: 'design-review', autojoin: '' }, { width, height: HEIGHT[width], theme });
    await v.page.waitForFunction(() => window.el.state === 'error', null, { timeout: 20000 });
    await shoot(v.page, `error-${theme}-${width}`);
    await v.close();
  },
  // demo/theming.html: Ana in a call with Bruno and Chiara, the chat open, shot in each look
  // (the same live element; only the page's CSS changes)
  async theming() {
    const r = room();
    const others = await twoOthers(r);
    const context = await browser.newContext({ viewport: { width: 1024, height: 760 }, deviceScaleFactor: 1 });
    const p = await context.newPage();
    p.on('pageerror', e => console.error('page error:', e.message));
    await p.goto(`${origin}/demo/theming.html#${r}`);
    await p.evaluate(() => {
      window.el = document.getElementById('call');
      window.el.setAttribute('name', 'Ana Lima');
    });
    await p.waitForFunction(() => window.el.shadowRoot?.querySelector('[part~="join-button"]'));
    await p.evaluate(() => window.el.shadowRoot.querySelector('[part~="join-button"]').click());
    await joined(p);
    await connected(p, 2);
    await p.evaluate(() => window.el.shadowRoot.querySelector('[part~="chat-button"]').click());
    await others[0].page.evaluate(() => window.el.sendChat('This look is growing on me.'));
    await p.waitForFunction(() => window.el.shadowRoot.querySelectorAll('[part~="message"]').length === 1, null, { timeout: 20000 });
    await p.evaluate(() => window.el.sendChat('Same element, different CSS.'));
    await framesShown(p);
    for (const look of ['studio', 'paper', 'candy']) {
      await p.locator(`input[name="look"][value="${look}"]`).check();
      await shoot(p, `theming-${look}`);
    }
    if (process.env.THEMING_PAGE_SHOT) await p.screenshot({ path: process.env.THEMING_PAGE_SHOT, fullPage: true });
    await context.close();
    for (const o of others) await o.close();
  },
  // issue 15's extras: the call timer, the device panel with the speaker picker and the
  // processing switches, then the leave question
  async extras(theme, width) {
    const r = room();
    const o = await visitor({ ...common, room: r, name: 'Bruno Costa', autojoin: '' });
    await joined(o.page);
    const v = await visitor({ ...common, room: r, name: 'Ana Lima', autojoin: '', 'show-timer': '', 'confirm-leave': '' }, { width, height: HEIGHT[width], theme });
    await joined(v.page);
    await connected(v.page, 1);
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="devices-button"]').click());
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('[part~="speaker-select"]') && window.el.shadowRoot.querySelector('[part~="switch"]'), null, { timeout: 20000 });
    await framesShown(v.page);
    await shoot(v.page, `extras-devices-${theme}-${width}`);
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="close-button"]').click());
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="leave-button"]').click());
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('[part~="leave-confirm"]'));
    await shoot(v.page, `extras-leave-${theme}-${width}`);
    await v.close();
    await o.close();
  },
  // issue 15's social features: Bruno raises his hand and reacts; Ana opens the people
  // panel, then the reaction picker
  async social(theme, width) {
    const r = room();
    const others = await twoOthers(r);
    const v = await visitor({ ...common, room: r, name: 'Ana Lima', autojoin: '' }, { width, height: HEIGHT[width], theme });
    await joined(v.page);
    await connected(v.page, 2);
    await others[0].page.evaluate(() => window.el.shadowRoot.querySelector('[part~="hand-button"]').click());
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('[part~="remote"][part~="hand-raised"]'), null, { timeout: 20000 });
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="people-button"]').click());
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelectorAll('[part~="person"]').length === 3, null, { timeout: 20000 });
    await framesShown(v.page);
    await shoot(v.page, `social-people-${theme}-${width}`);
    await v.page.evaluate(() => window.el.shadowRoot.querySelector('[part~="reactions-button"]').click());
    await v.page.waitForFunction(() => window.el.shadowRoot.querySelector('[part~="reaction-picker"]'));
    await framesShown(v.page);
    await shoot(v.page, `social-reactions-${theme}-${width}`);
    await v.close();
    for (const o of others) await o.close();
  },
  async left(theme, width) {
    const v = await visitor({ ...common, room: room(), name: 'Ana Lima', autojoin: '' }, { width, height: HEIGHT[width], theme });
    await joined(v.page);
    await v.page.evaluate(() => window.el.leave());
    await shoot(v.page, `left-${theme}-${width}`);
    await v.close();
  },
};

try {
  for (const [name, run] of Object.entries(scenarios)) {
    if (only && !only.includes(name)) continue;
    if (name === 'theming') {
      await run();
      continue;
    }
    for (const theme of themes) for (const width of widths) await run(theme, width);
  }
} finally {
  await browser.close();
  await server.close();
  http.close();
}
