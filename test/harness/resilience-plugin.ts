// wtr plugin for the resilience and security tests:
// - serves the strict-page fixtures with a strict Content-Security-Policy header whose
//   connect-src lists only the signalling and TURN origins given in the query string;
// - `ensure-bundle`: makes sure dist/metered-call.js is built from the current sources
//   (starts `rollup -c` when a file under src/ is newer and answers `building` until it is
//   done), since the strict page loads it;
// - `heap-usage`: garbage-collects the test page and returns its JS heap size, through
//   CDP (Chromium; `null` in Firefox, which has no CDP); `count-instances`: after the same
//   garbage collection, how many live objects have each named global's prototype.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Page } from 'puppeteer-core';
import { retainingPaths } from '../../bench/lib/retainers.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(ROOT, 'dist/metered-call.js');
const STRICT_PAGES = new Set(['/test/fixtures/strict-page.html']);

/** An origin from the query, or null when it is not a plain ws(s)/http(s) origin. */
function origin(value: string | null): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    if (!/^(wss?|https?):$/.test(u.protocol)) return null;
    return /^[a-z0-9.:[\]-]+$/i.test(u.host) ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/** The policy of the issue: nothing inline, nothing eval'd, connections only to Metered's (here: the local) hosts. */
export function strictPolicy(signalling: string | null, turn: string | null): string {
  const connect = [...new Set([signalling, turn].filter((o): o is string => !!o))].join(' ') || "'none'";
  return `default-src 'self'; script-src 'self'; style-src 'self'; connect-src ${connect}; object-src 'none'; base-uri 'none'`;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

type BundleState = { state: 'fresh' } | { state: 'building'; done: Promise<void> } | { state: 'error'; error: string };
let build: BundleState | null = null;

/** Longest a command waits for a build (test-runner commands time out after 20 s). */
const BUILD_WAIT_MS = 15_000;

/**
 * `fresh` once the build is done, `building` after BUILD_WAIT_MS (a build can take longer on
 * a loaded machine: ask again), or `error`.
 */
async function awaitBundle(): Promise<{ state: string; error?: string }> {
  const state = ensureBundle();
  if (state.state !== 'building') return state;
  await Promise.race([state.done, once(AbortSignal.timeout(BUILD_WAIT_MS), 'abort')]);
  const now = ensureBundle();
  return now.state === 'building' ? { state: 'building' } : now;
}

function ensureBundle(): BundleState {
  if (build?.state === 'building') return build;
  if (build?.state === 'error') {
    const failed = build;
    build = null; // the next call tries again (the sources may have been fixed)
    return failed;
  }
  let stale = true;
  try {
    stale = statSync(BUNDLE).mtimeMs < Math.max(newestMtime(join(ROOT, 'src')), statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  } catch {
    /* missing: build it */
  }
  if (!stale) return { state: 'fresh' };
  let finished!: () => void;
  const building: BundleState = { state: 'building', done: new Promise<void>(resolve => (finished = resolve)) };
  build = building;
  execFile(join(ROOT, 'node_modules/.bin/rollup'), ['-c'], { cwd: ROOT, timeout: 300_000 }, (err, _out, stderr) => {
    if (build === building) build = err ? { state: 'error', error: `${err.message}\n${stderr}`.slice(0, 4000) } : null;
    finished();
  });
  return building;
}

interface PuppeteerLauncher {
  getPage(sessionId: string): Page;
}

export function resiliencePlugin(): TestRunnerPlugin {
  return {
    name: 'metered-resilience',
    transform(context) {
      if (!STRICT_PAGES.has(context.path)) return undefined;
      const policy = strictPolicy(origin(context.URL.searchParams.get('server')), origin(context.URL.searchParams.get('turn')));
      return { headers: { 'Content-Security-Policy': policy, 'Cache-Control': 'no-store' }, transformCache: false };
    },
    async executeCommand({ command, payload, session }) {
      if (command === 'ensure-bundle') return awaitBundle();
      if (command !== 'heap-usage' && command !== 'count-instances' && command !== 'retainers') return undefined;
      const page = (session.browser as unknown as PuppeteerLauncher).getPage(session.id);
      // Firefox (WebDriver BiDi) has no CDP, so no heap figures: `null` there, and only there.
      // In Chromium a missing reading is an error, so that a test cannot pass without it.
      if (/firefox/i.test(session.browser.name)) return { usedBytes: null, counts: null };
      const cdp = await page.createCDPSession();
      try {
        // twice: the first pass can leave finalizable garbage for the second
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('HeapProfiler.collectGarbage');
        if (command === 'retainers') {
          // shortest retaining paths of a few live objects named `name` (for a failing leak test)
          const { name, max } = payload as { name: string; max?: number };
          const paths = await retainingPaths(cdp as unknown as Parameters<typeof retainingPaths>[0], n => n === name || n.startsWith(`<${name} `) || n === `<${name}>`, max ?? 3);
          return { paths: paths.map(p => p.join(' ')) };
        }
        if (command === 'count-instances') {
          // live objects whose prototype chain includes each `window[name].prototype`
          const counts: Record<string, number> = {};
          for (const name of (payload as { names: string[] }).names) {
            const proto = await cdp.send('Runtime.evaluate', { expression: `window[${JSON.stringify(name)}].prototype` });
            if (!proto.result.objectId) continue;
            const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
            const n = await cdp.send('Runtime.callFunctionOn', { objectId: objects.objectId!, functionDeclaration: 'function () { return this.length; }', returnByValue: true });
            counts[name] = n.result.value as number;
            await cdp.send('Runtime.releaseObject', { objectId: objects.objectId! });
            await cdp.send('Runtime.releaseObject', { objectId: proto.result.objectId });
          }
          return { counts };
        }
        const { usedSize } = await cdp.send('Runtime.getHeapUsage');
        return { usedBytes: usedSize };
      } finally {
        await cdp.detach().catch(() => {});
      }
    },
  };
}
