// Browser tests: real Chromium (Debian's), fake camera and microphone, the real SDK,
// and real local Metered servers started per test file through commands.
// Run inside a loopback-only network namespace (npm run test:browser does it).
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { localServerPlugin } from './test/harness/local-server-plugin.ts';
import { participantsPlugin } from './test/harness/participants-plugin.ts';

export const chromiumArgs = [
  '--no-sandbox', // the machines run as root
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection', // ICE on 127.0.0.1 inside the namespace
  '--autoplay-policy=no-user-gesture-required',
];

export default {
  files: ['test/**/*.test.ts', '!test/server/**'],
  nodeResolve: true,
  // two cores: one test file at a time keeps WebRTC timing honest
  concurrency: 1,
  testFramework: { config: { timeout: 30000 } },
  testsFinishTimeout: 10 * 60 * 1000,
  browserStartTimeout: 60000,
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: 'tsconfig.json' }),
    localServerPlugin(),
    participantsPlugin(),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: '/usr/bin/chromium', args: chromiumArgs },
      // a context per page: no test page is ever a background tab (video would stop)
      createPage: async ({ browser }) => (await browser.createBrowserContext()).newPage(),
    }),
  ],
};
