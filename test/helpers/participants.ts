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
  logs(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Browser for the participant; default: the browser running this test page. */
  browser?: BrowserKind;
}

/** The browser running this test page. */
export const hostBrowser = (): BrowserKind => (/\bFirefox\//.test(navigator.userAgent) ? 'firefox' : 'chromium');

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
    eval: expression => executeServerCommand('participant-eval', { id, expression }),
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
