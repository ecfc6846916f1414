// Which speaker (audio output) the call plays through: the outputs this browser offers,
// whether it lets a page choose (HTMLMediaElement.setSinkId), applying the choice to the
// call's media elements, and remembering it per site in localStorage, as the camera and
// microphone are (controllers/devices.ts; a key of its own, so neither overwrites the other).
import { read, write } from '../controllers/devices.js';

const STORAGE_KEY = 'metered-call:speaker';

type SinkElement = HTMLMediaElement & { setSinkId(id: string): Promise<void>; readonly sinkId: string };

/** Whether this browser lets a page choose the output (hide the picker when not). */
export const canChooseOutput = (): boolean => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

/** The outputs a page may choose from (named once the page may use the microphone). */
export async function listOutputs(): Promise<MediaDeviceInfo[]> {
  const list = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []);
  return (list ?? []).filter(d => d.kind === 'audiooutput' && d.deviceId);
}

export class OutputDevice {
  /** The chosen output id ('' = the system default). */
  chosen = '';

  constructor() {
    this.chosen = (read(STORAGE_KEY) ?? '').slice(0, 256);
  }

  /** Remembers `deviceId` for this site; apply() puts it to use. */
  choose(deviceId: string): void {
    this.chosen = deviceId;
    write(STORAGE_KEY, deviceId);
  }

  /**
   * Plays `elements` through the chosen output; an output that is gone (unplugged) or
   * refused falls back to the default, and the choice is kept for when it returns.
   * Resolves with the output id in use ('' = default); does nothing where outputs cannot be chosen.
   */
  async apply(elements: Iterable<HTMLMediaElement>): Promise<string> {
    if (!canChooseOutput()) return '';
    let id = this.chosen;
    for (const element of elements as Iterable<SinkElement>) {
      if (element.sinkId === id) continue;
      try {
        await element.setSinkId(id);
      } catch {
        id = '';
        if (element.sinkId !== id) await element.setSinkId(id).catch(() => {});
      }
    }
    return id;
  }
}
