#!/usr/bin/env node
// Screenshots of <metered-call> for the README (docs/*.png): alone, in calls of 2 and 3,
// and in the error state. Uses the built bundle, the local server and Debian's Chromium
// with fake devices, one browser context per participant. Run inside the loopback-only
// namespace: `npm run screenshots` (= build + sh scripts/netns.sh node --import tsx …).
import { chromium } from 'playwright-core';
import { startDevServer } from '@web/dev-server';
import { startServer } from '../server/index.ts';

const out = new URL('../docs/', import.meta.url);
const server = await startServer({ port: 0 });
const web = await startDevServer({
  config: { rootDir: '.', port: 8765, hostname: '127.0.0.1', nodeResolve: false },
  readCliArgs: false,
  readFileConfig: false,
  logStartMessage: false,
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection', '--autoplay-policy=no-user-gesture-required'],
});

const base = {
  'server-url': server.wsUrl,
  'turn-url': `${server.turnCredentialsUrl}?apiKey=pk_live_local`,
  'api-key': 'pk_live_local',
};
async function participant(params) {
  const context = await browser.newContext({ viewport: { width: 960, height: 720 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:8765/scripts/screenshots/page.html?${new URLSearchParams({ ...base, ...params })}`);
  return page;
}
/** Until every remote tile shows video, as the viewer sees it. */
const allRemoteVideoShowing = (page, count) =>
  waitOrExplain(page, 
    n => {
      const root = document.querySelector('metered-call').shadowRoot;
      const tiles = [...root.querySelectorAll('[part~="remote"]')];
      return tiles.length === n && tiles.every(t => {
        const v = t.querySelector('video');
        return v && v.readyState >= 2 && v.currentTime > 0.5 && !t.querySelector('[part~="avatar"]') && t.querySelector('[part~="name"]').textContent.trim() !== 'Guest';
      });
    },
    count,
  );
/** waitForFunction, and on timeout a screenshot + the tiles' state, to see why. */
async function waitOrExplain(page, fn, arg) {
  try {
    await page.waitForFunction(fn, arg, { timeout: 45000, polling: 200 });
  } catch (err) {
    await page.screenshot({ path: '/tmp/screenshot-timeout.png' });
    const tiles = await page.evaluate(() =>
      [...document.querySelector('metered-call').shadowRoot.querySelectorAll('[part~="tile"]')].map(t => {
        const v = t.querySelector('video');
        return `${t.getAttribute('part')} name=${t.querySelector('[part~="name"]')?.textContent.trim()} avatar=${!!t.querySelector('[part~="avatar"]')} video=${v ? `${v.readyState}/${v.currentTime.toFixed(1)}` : 'none'}`;
      }),
    );
    throw new Error(`${err.message}\n${tiles.join('\n')}\n(see /tmp/screenshot-timeout.png)`);
  }
}
const shoot = async (page, name) => {
  await page.locator('metered-call').screenshot({ path: new URL(name, out).pathname, animations: 'disabled' });
  console.log(`docs/${name}`);
};

try {
  // alone, before joining
  const alone = await participant({ room: 'team-standup', name: 'Ana' });
  await alone.waitForSelector('metered-call[state="idle"]');
  await shoot(alone, 'element-idle.png');
  await alone.context().close();

  // two, then three participants
  const room = `shots-${Date.now().toString(36)}`;
  const names = ['Ana', 'Bruno', 'Chen'];
  const pages = [];
  for (const name of names.slice(0, 2)) pages.push(await participant({ room, name, autojoin: '1' }));
  await Promise.all(pages.map(p => allRemoteVideoShowing(p, 1)));
  await shoot(pages[0], 'call-2.png');
  pages.push(await participant({ room, name: names[2], autojoin: '1' }));
  await Promise.all(pages.map(p => allRemoteVideoShowing(p, 2)));
  await shoot(pages[0], 'call-3.png');
  for (const p of pages) await p.context().close();

  // the error a site owner sees with a key the server refuses
  const failing = await participant({ room: 'team-standup', name: 'Ana', 'api-key': 'pk_live_wrong', autojoin: '1' });
  await failing.waitForSelector('metered-call[state="error"]');
  await shoot(failing, 'error.png');
} finally {
  await browser.close();
  await web.stop();
  await server.close();
}
