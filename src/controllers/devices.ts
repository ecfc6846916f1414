// The cameras and microphones this browser offers, and which ones the visitor chose
// (remembered per site in localStorage). Labels and ids appear only once the page may
// use the devices, so `refresh()` runs again after every successful getUserMedia.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type DeviceKind = 'camera' | 'microphone';

const STORAGE_KEY = 'metered-call:devices';
const kindOf = { videoinput: 'camera', audioinput: 'microphone' } as const;

export class Devices implements ReactiveController {
  camera: MediaDeviceInfo[] = [];
  microphone: MediaDeviceInfo[] = [];
  /** Chosen device ids ('' = the browser's default). */
  readonly chosen: Record<DeviceKind, string> = { camera: '', microphone: '' };

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
    const saved = read(STORAGE_KEY);
    if (saved) {
      try {
        const { camera, microphone } = JSON.parse(saved) as Record<string, unknown>;
        if (typeof camera === 'string') this.chosen.camera = camera.slice(0, 256);
        if (typeof microphone === 'string') this.chosen.microphone = microphone.slice(0, 256);
      } catch {
        /* not ours, or broken: start over */
      }
    }
  }

  hostConnected(): void {
    navigator.mediaDevices?.addEventListener?.('devicechange', this.refresh);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.refresh);
  }

  /** getUserMedia constraints for `kind`: the chosen device if any (preferred, not required). */
  constraints(kind: DeviceKind): MediaTrackConstraints | true {
    const id = this.chosen[kind];
    return id ? { deviceId: id } : true;
  }

  choose(kind: DeviceKind, deviceId: string): void {
    this.chosen[kind] = deviceId;
    write(STORAGE_KEY, JSON.stringify(this.chosen));
    this.host.requestUpdate();
  }

  /** Which device a live track comes from (what a picker shows as selected). */
  static idOf(track: MediaStreamTrack | undefined): string {
    return track?.getSettings?.().deviceId ?? '';
  }

  readonly refresh = async (): Promise<void> => {
    const list = await navigator.mediaDevices?.enumerateDevices?.().catch(() => []);
    if (!list) return;
    this.camera = [];
    this.microphone = [];
    for (const d of list) {
      const kind = kindOf[d.kind as keyof typeof kindOf];
      // before permission, browsers list anonymous devices without ids: nothing to choose
      if (kind && d.deviceId) this[kind].push(d);
    }
    this.host.requestUpdate();
  };
}

/** localStorage, where the page allows it (sandboxed frames and some privacy modes throw). */
export function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* not remembered, not fatal */
  }
}
