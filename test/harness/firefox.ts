// Stock Firefox ESR (Debian's firefox-esr) driven by puppeteer-core over WebDriver BiDi:
// fake camera and microphone, no permission prompts, autoplay allowed. Nothing is
// downloaded. Used by the test runner (a Firefox browser and Firefox participants) and
// reusable by scripts such as benchmarks:
//
//   import { launchFirefox, newVisitor } from '../test/harness/firefox.ts';
//   const firefox = await launchFirefox();
//   const { page, close } = await newVisitor(firefox);
//   await page.goto('http://127.0.0.1:8000/…'); // http://127.0.0.1 or localhost: a secure context
//
// WebRTC in Firefox needs a non-loopback interface to gather any ICE candidate: run it
// under `NETNS_VETH=1 sh scripts/netns.sh …` (a veth on a TEST-NET address, inside the
// namespace), never in the machine's own namespace.
import { launch, type Browser, type BrowserContext, type LaunchOptions, type Page } from 'puppeteer-core';

export const FIREFOX_EXECUTABLE = process.env.FIREFOX_BIN ?? '/usr/bin/firefox-esr';

/** Preferences that make Firefox behave like the Chromium flags the tests use. */
export const firefoxPrefs: Record<string, unknown> = {
  // a fake camera ("Default Video Device") and microphone ("Default Audio Device")
  'media.navigator.streams.fake': true,
  // getUserMedia resolves without a prompt
  'media.navigator.permission.disabled': true,
  // unmuted play() and a running AudioContext without a user gesture (0 = allowed)
  'media.autoplay.default': 0,
  // ICE may use the loopback interface, like Chromium's --allow-loopback-in-peer-connection.
  // Without it Firefox cannot reach a TURN server on 127.0.0.1 at all (icecandidateerror
  // 701, no relay candidate) — and the tests' coturn listens only there. Host candidates
  // still need the namespace's veth (see above).
  'media.peerconnection.ice.loopback': true,
};

export const firefoxLaunchOptions: LaunchOptions = {
  browser: 'firefox',
  executablePath: FIREFOX_EXECUTABLE,
  headless: true,
  extraPrefsFirefox: firefoxPrefs,
};

/** Starts one headless Firefox. `options` are merged over `firefoxLaunchOptions`. */
export function launchFirefox(options: LaunchOptions = {}): Promise<Browser> {
  return launch({
    ...firefoxLaunchOptions,
    ...options,
    extraPrefsFirefox: { ...firefoxPrefs, ...options.extraPrefsFirefox },
  });
}

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Closes the visitor's context (its page, storage, and any call it was in). */
  close(): Promise<void>;
}

/**
 * A separate visitor in `browser`: its own browser context (a BiDi user context:
 * own storage) and its own window. Not a tab: Firefox reports a background tab as
 * `hidden` and presents about 1 video frame a second in it (measured: 2 frames in
 * 2 s against 61 in a window), which would starve frame-based tests.
 * Works for Chromium browsers too.
 */
export async function newVisitor(browser: Browser): Promise<Visitor> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage({ type: 'window' });
  return { context, page, close: () => context.close() };
}
