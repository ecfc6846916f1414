// Heap figures of the test page, through the resilience plugin's CDP commands. Only Chromium
// has CDP: Firefox gets `null` (and its tests say so); in Chromium a missing figure is an
// error from the plugin, so a memory check can never pass by not measuring.
import { executeServerCommand } from '@web/test-runner-commands';
import { hostBrowser } from './participants.js';

/** True where the heap commands answer (Chromium); logs once why the checks are skipped elsewhere. */
export function heapMeasurable(what: string): boolean {
  if (hostBrowser() === 'chromium') return true;
  console.info(`${what}: not measured in ${hostBrowser()} (no CDP); it is checked in Chromium`);
  return false;
}

/** JS heap in use after two garbage collections, bytes. */
export async function heapUsage(): Promise<number> {
  const { usedBytes } = await executeServerCommand<{ usedBytes: number | null }, undefined>('heap-usage');
  if (usedBytes === null) throw new Error('heap-usage gave no reading');
  return usedBytes;
}

/** Live objects (after a garbage collection) per global constructor name. */
export async function liveInstances(names: string[]): Promise<Record<string, number>> {
  const { counts } = await executeServerCommand<{ counts: Record<string, number> | null }, { names: string[] }>('count-instances', { names });
  if (counts === null) throw new Error('count-instances gave no reading');
  return counts;
}
