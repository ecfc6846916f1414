// The speaker (audio output) the call plays through, in the element: the outputs to pick
// from, the visitor's choice (call/output-device.ts applies and remembers it), and that
// choice put on every remote tile's media element after each render, so a tile that
// arrives later plays through the chosen speaker too.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { canChooseOutput, listOutputs, OutputDevice } from '../call/output-device.js';

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export class SpeakerOutput implements ReactiveController {
  /** The browser lets a page choose the output (else the picker is not shown). */
  readonly supported = canChooseOutput();
  outputs: MediaDeviceInfo[] = [];
  private readonly device = new OutputDevice();
  /** Media elements already playing through the current choice (each is set once, not on every render). */
  private done = new WeakSet<HTMLMediaElement>();

  constructor(private readonly host: Host) {
    host.addController(this);
  }

  /** The chosen output id ('' = the system default). */
  get chosen(): string {
    return this.device.chosen;
  }

  hostConnected(): void {
    if (this.supported) navigator.mediaDevices?.addEventListener?.('devicechange', this.refresh);
  }

  hostDisconnected(): void {
    navigator.mediaDevices?.removeEventListener?.('devicechange', this.refresh);
  }

  hostUpdated(): void {
    if (!this.supported) return;
    const fresh = [...this.host.renderRoot.querySelectorAll<HTMLMediaElement>('[part~="remote"] video')].filter(el => !this.done.has(el));
    if (!fresh.length) return;
    for (const el of fresh) this.done.add(el);
    void this.device.apply(fresh);
  }

  /** Re-reads the outputs (named once the page may use the microphone). */
  readonly refresh = async (): Promise<void> => {
    if (!this.supported) return;
    this.outputs = await listOutputs();
    this.host.requestUpdate();
  };

  /** Plays the call through `deviceId` from now on, remembered for this site. */
  readonly choose = (deviceId: string): void => {
    this.device.choose(deviceId);
    this.done = new WeakSet();
    this.host.requestUpdate(); // hostUpdated applies it to every remote element
  };
}
