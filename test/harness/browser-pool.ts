// One Chromium and one Firefox per test run, started on first use and shared: the test
// runner's own launchers get their browser here (see web-test-runner.config.mjs), and so
// do extra participants, so a Chromium test that opens a Firefox participant and the
// Firefox test files that run later use the same Firefox process.
import type { Browser } from 'puppeteer-core';
import { launchChromium } from './chromium.js';
import { launchFirefox, newVisitor, type Visitor } from './firefox.js';

export type BrowserKind = 'chromium' | 'firefox';
export const BROWSER_KINDS: readonly BrowserKind[] = ['chromium', 'firefox'];

const running = new Map<BrowserKind, Promise<Browser>>();

/** The run's browser of this kind, launched if it is not running (or has gone away). */
export async function sharedBrowser(kind: BrowserKind): Promise<Browser> {
  const current = running.get(kind);
  if (current) {
    const browser = await current.catch(() => null);
    if (browser?.connected) return browser;
  }
  const started = kind === 'firefox' ? launchFirefox() : launchChromium();
  running.set(kind, started);
  return started;
}

/** A new visitor (own context, own window) in the run's browser of this kind. */
export async function openVisitor(kind: BrowserKind): Promise<Visitor> {
  return newVisitor(await sharedBrowser(kind));
}

/** `puppeteer`-shaped object for `chromeLauncher({ puppeteer })`: its launch() returns the shared browser. */
export const sharedLauncher = (kind: BrowserKind) => ({ launch: () => sharedBrowser(kind) });

export async function closeSharedBrowsers(): Promise<void> {
  const all = [...running.values()];
  running.clear();
  await Promise.all(all.map(p => p.then(b => (b.connected ? b.close() : undefined)).catch(() => {})));
}
