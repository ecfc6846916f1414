// Pages that load dist/metered-call.js need it built from the current sources.
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';

/**
 * Resolves once dist/metered-call.js is fresh (the `ensure-bundle` command builds it when
 * stale, and each call waits for the build for up to 15 s — a command may take no longer).
 */
export async function freshBundle(): Promise<void> {
  for (;;) {
    const bundle = await executeServerCommand<{ state: string; error?: string }, undefined>('ensure-bundle');
    expect(bundle.error, 'dist/metered-call.js builds').to.equal(undefined);
    if (bundle.state === 'fresh') return;
  }
}
