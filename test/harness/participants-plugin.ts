// wtr plugin: opens extra call participants, each in its own browser context
// (its own origin storage, devices and visibility — a separate visitor), and runs
// expressions in them. Used by browser tests through `executeServerCommand`.
// A participant opens in the test page's own browser unless the test asks for
// `browser: 'chromium' | 'firefox'`; either way it comes from the run's shared browser
// of that kind (browser-pool.ts), so one Firefox serves the whole run.
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Page } from 'puppeteer-core';
import { BROWSER_KINDS, openVisitor, type BrowserKind } from './browser-pool.js';
import type { Visitor } from './firefox.js';

interface Participant { visitor: Visitor; browser: BrowserKind; logs: string[] }

interface PuppeteerLauncher { getPage(sessionId: string): Page }

/** Which browser runs the test page of this session. */
async function hostKind(launcher: PuppeteerLauncher, sessionId: string): Promise<BrowserKind> {
  const version = await launcher.getPage(sessionId).browser().version();
  return /firefox/i.test(version) ? 'firefox' : 'chromium';
}

export function participantsPlugin(): TestRunnerPlugin {
  const participants = new Map<string, Participant>();
  let next = 0;
  const get = (id: unknown) => {
    const p = participants.get(String(id));
    if (!p) throw new Error(`no participant with id ${String(id)}`);
    return p;
  };

  return {
    name: 'metered-participants',
    async executeCommand({ command, payload, session }) {
      const p = (payload ?? {}) as Record<string, unknown>;
      switch (command) {
        case 'participant-open': {
          const requested = p.browser as BrowserKind | undefined;
          if (requested !== undefined && !BROWSER_KINDS.includes(requested))
            throw new Error(`unknown participant browser ${String(requested)} (expected ${BROWSER_KINDS.join(' or ')})`);
          const kind = requested ?? (await hostKind(session.browser as unknown as PuppeteerLauncher, session.id));
          const visitor = await openVisitor(kind);
          const logs: string[] = [];
          visitor.page.on('console', m => logs.push(`${m.type()}: ${m.text()}`));
          visitor.page.on('pageerror', e => logs.push(`pageerror: ${String(e)}`));
          const id = `p${++next}`;
          participants.set(id, { visitor, browser: kind, logs });
          await visitor.page.goto(String(p.url), { waitUntil: 'load' });
          return { id, browser: kind };
        }
        case 'participant-eval': {
          const { visitor } = get(p.id);
          // `frame`: run in the (possibly cross-origin) child frame whose URL contains it
          const frame = p.frame === undefined ? visitor.page.mainFrame() : visitor.page.frames().find(f => f.url().includes(String(p.frame)));
          if (!frame) throw new Error(`no frame whose URL contains ${String(p.frame)}`);
          // the expression may return a promise; its resolved value must be JSON. Wrapped:
          // the runner takes a null/undefined result for "no plugin handled this command"
          return { value: await frame.evaluate(String(p.expression)) };
        }
        case 'participant-press': {
          // real key presses, into whatever has focus in the participant's page (any frame)
          const { visitor } = get(p.id);
          for (const key of p.keys as Parameters<Page['keyboard']['press']>[0][]) await visitor.page.keyboard.press(key);
          return true;
        }
        case 'run-browsers':
          // the browsers running this test file's group, in order (launcher names "Chromium", "Firefox")
          return session.group.browsers.map(b => (b.name.toLowerCase() === 'firefox' ? 'firefox' : 'chromium'));
        case 'participant-logs':
          return get(p.id).logs;
        case 'participant-close': {
          const part = participants.get(String(p.id));
          participants.delete(String(p.id));
          if (part) await part.visitor.close();
          return true;
        }
        default:
          return undefined;
      }
    },
    async serverStop() {
      await Promise.all([...participants.values()].map(p => p.visitor.close().catch(() => {})));
      participants.clear();
    },
  };
}
