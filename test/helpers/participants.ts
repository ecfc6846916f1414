// Other call participants, each in its own browser context (a separate visitor),
// driven from the test page through the test runner.
import { executeServerCommand } from '@web/test-runner-commands';

export interface Participant {
  id: string;
  /** Evaluates a JS expression in the participant's page; a promise is awaited; the value must be JSON. */
  eval<T = unknown>(expression: string): Promise<T>;
  logs(): Promise<string[]>;
  close(): Promise<void>;
}

const open: Participant[] = [];

/** Opens `path` (served by the test runner, same origin as the test) with `params` in its query string. */
export async function openParticipant(path: string, params: Record<string, string> = {}): Promise<Participant> {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const id = await executeServerCommand<string, { url: string }>('participant-open', { url: url.href });
  const participant: Participant = {
    id,
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
