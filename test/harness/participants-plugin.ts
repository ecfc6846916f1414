// wtr plugin: opens extra call participants, each in its own browser context
// (its own origin storage, devices and visibility — a separate visitor), and runs
// expressions in them. Used by browser tests through `executeServerCommand`.
import type { TestRunnerPlugin } from '@web/test-runner';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';

interface Participant { context: BrowserContext; page: Page; logs: string[] }

interface PuppeteerLauncher { getPage(sessionId: string): Page }

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
          const launcher = session.browser as unknown as PuppeteerLauncher;
          const browser: Browser = launcher.getPage(session.id).browser();
          const context = await browser.createBrowserContext();
          const page = await context.newPage();
          const logs: string[] = [];
          page.on('console', m => logs.push(`${m.type()}: ${m.text()}`));
          page.on('pageerror', e => logs.push(`pageerror: ${String(e)}`));
          const id = `p${++next}`;
          participants.set(id, { context, page, logs });
          await page.goto(String(p.url), { waitUntil: 'load' });
          return id;
        }
        case 'participant-eval': {
          const { page } = get(p.id);
          // the expression may return a promise; its resolved value must be JSON
          return await page.evaluate(String(p.expression));
        }
        case 'participant-logs':
          return get(p.id).logs;
        case 'participant-close': {
          const part = participants.get(String(p.id));
          participants.delete(String(p.id));
          if (part) await part.context.close();
          return true;
        }
        default:
          return undefined;
      }
    },
    async serverStop() {
      await Promise.all([...participants.values()].map(p => p.context.close().catch(() => {})));
      participants.clear();
    },
  };
}
