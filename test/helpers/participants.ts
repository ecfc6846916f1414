// Other call participants, each in its own browser context (a separate visitor),
// driven from the test page through the test runner.
import { executeServerCommand } from '@web/test-runner-commands';

export type BrowserKind = 'chromium' | 'firefox';

export interface Participant {
  id: string;
  /** The browser the participant's page runs in. */
  browser: BrowserKind;
  /** Evaluates a JS expression in the participant's page; a promise is awaited; the value must be JSON. */
  eval<T = unknown>(expression: string): Promise<T>;
  /** `eval` in the child frame (same- or cross-origin) whose URL contains `frame`. */
  evalIn<T = unknown>(frame: string, expression: string): Promise<T>;
  /** Presses keys (puppeteer names: 'Tab', 'Enter', ' ') into whatever has focus in the page. */
  press(...keys: string[]): Promise<void>;
  logs(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Browser for the participant; default: the browser running this test page. */
  browser?: BrowserKind;
}

/** The browser running this test page. */
export const hostBrowser = (): BrowserKind => (/\bFirefox\//.test(navigator.userAgent) ? 'firefox' : 'chromium');

/** The browsers that run test files in this run (BROWSERS=…), in the order they run. */
export const runBrowsers = () => executeServerCommand<BrowserKind[], undefined>('run-browsers');

/**
 * True in exactly one browser of the run: the first one. Tests whose participants are all
 * opened explicitly (e.g. Chromium ↔ Firefox calls) do not depend on the browser running
 * the test page, so they run once — from the first browser — instead of once per browser.
 */
export const isFirstBrowserOfRun = async () => (await runBrowsers())[0] === hostBrowser();

/** Skips the current test or hook, saying why in the log (a skip is never silent). */
export function skipBecause(ctx: Mocha.Context, reason: string): never {
  console.info(`skipped in ${hostBrowser()}: ${ctx.currentTest?.fullTitle() ?? ctx.test?.fullTitle() ?? ''}: ${reason}`);
  ctx.skip();
}

const open: Participant[] = [];

/** Opens `path` (served by the test runner, same origin as the test) with `params` in its query string. */
export async function openParticipant(
  path: string,
  params: Record<string, string> = {},
  options: OpenOptions = {},
): Promise<Participant> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const { id, browser } = await executeServerCommand<{ id: string; browser: BrowserKind }, { url: string; browser?: BrowserKind }>(
    'participant-open',
    { url: url.href, ...(options.browser ? { browser: options.browser } : {}) },
  );
  const participant: Participant = {
    id,
    browser,
    eval: <T>(expression: string) => participant.evalIn<T>('', expression),
    evalIn: async <T>(frame: string, expression: string) => {
      const payload = { id, expression, ...(frame ? { frame } : {}) };
      try {
        return (await executeServerCommand<{ value?: T }, typeof payload>('participant-eval', payload)).value as T;
      } catch (e) {
        // the runner's message repeats the whole expression; keep the page's own error
        const echo = `Error while executing command participant-eval with payload ${JSON.stringify(payload)}: `;
        const message = String((e as Error).message);
        throw new Error(`in participant ${id} (${browser}): ${message.startsWith(echo) ? message.slice(echo.length) : message}`);
      }
    },
    press: async (...keys: string[]) => {
      await executeServerCommand('participant-press', { id, keys });
    },
    logs: () => executeServerCommand<string[], { id: string }>('participant-logs', { id }),
    close: async () => {
      const i = open.indexOf(participant);
      if (i >= 0) open.splice(i, 1);
      await executeServerCommand('participant-close', { id });
    },
  };
  open.push(participant);
  return participant;
}

/** Closes every participant a test opened (call from afterEach). */
export async function closeAllParticipants(): Promise<void> {
  await Promise.all([...open].map(p => p.close()));
}

/** After each call test: every element this page made leaves (the list is emptied), then every participant closes. */
export async function endCalls(elements: { leave(): Promise<void> }[]): Promise<void> {
  await Promise.all(elements.splice(0).map(el => el.leave()));
  await closeAllParticipants();
}
