#!/usr/bin/env node
// Screenshots for the CMS guide (docs/cms.md), taken of the CMS-like test pages with the
// built bundle in a real call: docs/cms-page.png (a WordPress-like page, the snippet in a
// Custom HTML block) and docs/cms-iframe-embed.png (the same snippet inside an iframe, as
// Google Sites' Embed code runs it). Run: npm run build && sh scripts/netns.sh node --import tsx scripts/cms-screenshots.mjs
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startDevServer } from '@web/dev-server';
import { startServer } from '../server/index.ts';

const server = await startServer({ port: 0, log: false });
const web = await startDevServer({
  config: { rootDir: '.', port: 0, hostname: 'localhost', nodeResolve: true },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const origin = `http://localhost:${web.server.address().port}`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
});
mkdirSync('docs', { recursive: true });

/** Opens `path` as one visitor; resolves once its element shows `frames` remote frames. */
async function visitor(path, params, frameSelector) {
  const context = await browser.newContext({ viewport: { width: 1180, height: 860 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${origin}${path}?${new URLSearchParams(params)}`);
  const frame = frameSelector ? page.frameLocator(frameSelector) : page;
  return { page, frame };
}

const waitForRemoteVideo = frame =>
  frame.locator('metered-call').evaluate(
    el =>
      new Promise((resolve, reject) => {
        const t0 = Date.now();
        const poll = () => {
          const video = el.shadowRoot?.querySelector('[part~="remote"] video');
          if (video && video.readyState >= 2 && video.videoWidth > 0) {
            let n = 0;
            const onFrame = () => (++n >= 10 ? resolve(true) : video.requestVideoFrameCallback(onFrame));
            video.requestVideoFrameCallback(onFrame);
          } else if (Date.now() - t0 > 20000) reject(new Error(`no remote video; state=${el.state} log=${JSON.stringify(window.__cms?.events)}`));
          else setTimeout(poll, 50);
        };
        poll();
      }),
  );

try {
  const base = { server: server.wsUrl, turn: `${server.turnCredentialsUrl}?apiKey=pk_live_local` };
  for (const [file, path, selector] of [
    ['docs/cms-page.png', '/test/fixtures/cms-page.html', null],
    ['docs/cms-iframe-embed.png', '/test/fixtures/embed-iframe.html', '#embed'],
  ]) {
    const room = `shot-${Date.now()}`;
    const a = await visitor(path, { ...base, room, name: 'Ana Lima' }, selector);
    const b = await visitor('/test/fixtures/cms-page.html', { ...base, room, name: 'Bo Chen' }, null);
    await Promise.all([waitForRemoteVideo(a.frame), waitForRemoteVideo(b.frame)]);
    await a.page.screenshot({ path: file });
    console.log(`wrote ${file}`);
    await a.page.context().close();
    await b.page.context().close();
  }
} finally {
  await browser.close();
  await web.stop();
  await server.close();
}
