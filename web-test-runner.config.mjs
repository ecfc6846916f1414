// Browser tests: real Chromium (Debian's) and real Firefox ESR (Debian's, over WebDriver
// BiDi), fake camera and microphone, the real SDK, and real local Metered servers started
// per test file through commands. BROWSERS=chromium|firefox|all (default all) picks the
// browsers that run the test files; Chromium ↔ Firefox tests open participants in both
// either way. Run inside the test network namespace (npm run test:browser does it).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { localServerPlugin } from './test/harness/local-server-plugin.ts';
import { participantsPlugin } from './test/harness/participants-plugin.ts';
import { resiliencePlugin } from './test/harness/resilience-plugin.ts';
import { chromiumArgs } from './test/harness/chromium.ts';
import { sharedLauncher, closeSharedBrowsers } from './test/harness/browser-pool.ts';

export { chromiumArgs };

const launchers = {
  // the launchers get their browser from the shared pool (one per kind per run);
  // a context and a window per page: no test page is ever a background tab (video would stop)
  chromium: () =>
    chromeLauncher({
      puppeteer: sharedLauncher('chromium'),
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  firefox: () =>
    chromeLauncher({
      puppeteer: sharedLauncher('firefox'),
      launchOptions: { browser: 'firefox' }, // names it "Firefox" in reports
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage({ type: 'window' }),
    }),
};

const wanted = (process.env.BROWSERS ?? 'all').toLowerCase();
const kinds = wanted === 'all' ? Object.keys(launchers) : wanted.split(',').map(s => s.trim());
for (const kind of kinds)
  if (!(kind in launchers)) throw new Error(`BROWSERS=${wanted}: expected chromium, firefox or all`);

export default {
  // test/server and test/bench are Node tests (npm run test:server, npm run test:bench)
  files: ['test/**/*.test.ts', '!test/server/**', '!test/bench/**', '!test/unit/**'],
  nodeResolve: true,
  // two cores: one test file at a time, one browser at a time keeps WebRTC timing honest
  concurrency: 1,
  concurrentBrowsers: 1,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 10 * 60 * 1000,
  browserStartTimeout: 60000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    localServerPlugin(),
    participantsPlugin(),
    resiliencePlugin(), // strict-page CSP headers, ensure-bundle, heap-usage (issue 6 tests)
    { name: 'shared-browsers', serverStop: closeSharedBrowsers },
  ],
  browsers: kinds.map(kind => launchers[kind]()),
};
