// Firefox participants for the bench: the tests' stock firefox-esr over WebDriver BiDi
// (test/harness/firefox.ts), the same probe as the Chromium pages, the same CallSide.
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import type { Browser } from 'puppeteer-core';
import { FIREFOX_EXECUTABLE, launchFirefox, newVisitor } from '../../test/harness/firefox.ts';
import { PROBE, type BenchWindow, type CallSide } from './browser.ts';

export { launchFirefox };

/** Why Firefox cannot make calls here, or null when it can. */
export function firefoxUnavailable(): string | null {
  if (!existsSync(FIREFOX_EXECUTABLE)) return `no Firefox at ${FIREFOX_EXECUTABLE} (apt-get install firefox-esr)`;
  // Firefox gathers no ICE candidate when the namespace holds only loopback
  const veth = Object.values(networkInterfaces()).flat().some(i => i && !i.internal && i.family === 'IPv4');
  if (!veth) return 'no non-loopback interface for Firefox ICE (run under NETNS_VETH=1 sh scripts/netns.sh, as npm run bench does)';
  return null;
}

/** One visitor (own context and window, never a background tab) with the probe injected. */
export async function openFirefoxSide(browser: Browser, opts: { forceRelay?: boolean } = {}): Promise<CallSide> {
  const v = await newVisitor(browser);
  const { page } = v;
  // a BiDi preload script: runs before the page's own scripts, like Playwright's addInitScript
  await page.evaluateOnNewDocument(`window.__benchForceRelay = ${opts.forceRelay ? 'true' : 'false'};\n${PROBE}`);
  const logs: string[] = [];
  page.on('console', m => { if (logs.length < 200) logs.push(`firefox ${m.type()}: ${m.text()}`); });
  page.on('pageerror', e => { if (logs.length < 200) logs.push(`firefox pageerror: ${String(e)}`); });
  let closed = false;
  return {
    logs,
    // participant 1 only: its readiness is awaited through marks, so waiting for load costs nothing timed
    goto: async url => { await page.goto(url, { waitUntil: 'domcontentloaded' }); },
    timeOrigin: () => page.evaluate(() => performance.timeOrigin),
    waitMarks: (names, timeoutMs) =>
      page.evaluate((n, t) => (window as unknown as BenchWindow).__bench.waitMarks(n, t), names, timeoutMs).catch(() => false),
    waitDecoded: (n, timeoutMs) =>
      page.evaluate((k, t) => (window as unknown as BenchWindow).__bench.waitDecoded(k, t), n, timeoutMs).catch(() => false),
    snapshot: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.snapshot()),
    rtcStats: () => page.evaluate(() => (window as unknown as BenchWindow).__bench.rtcStats()),
    close: async () => {
      if (closed) return;
      closed = true;
      await v.close().catch(() => {});
    },
  };
}
