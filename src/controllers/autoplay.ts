// Autoplay unblocking: a browser may refuse to play remote sound before the visitor has
// clicked anything on the page. Then the video plays muted and the element offers a
// button ("click to enable audio") that unmutes every remote camera in one click.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export class AutoplayUnblock implements ReactiveController {
  /** Sound was refused: the unmute button shows. */
  blocked = false;
  private focusMic = false;

  constructor(
    private readonly host: Host,
    /** Called on the visitor's click (the active speaker's audio context resumes with it). */
    private readonly onUnblocked: () => void,
  ) {
    host.addController(this);
  }

  /** `loadedmetadata` of a remote camera's `<video>`: play it, muted if sound is refused. */
  readonly onRemoteMedia = (event: Event): void => {
    const video = event.currentTarget as HTMLVideoElement;
    video.play().catch((err: unknown) => {
      if ((err as DOMException)?.name !== 'NotAllowedError') return;
      video.muted = true;
      void video.play().catch(() => {});
      this.blocked = true;
      this.host.requestUpdate();
    });
  };

  /** The unmute button: sound on for every remote camera, then focus to the microphone toggle. */
  readonly unmute = (): void => {
    for (const video of this.host.renderRoot.querySelectorAll<HTMLVideoElement>('.remote:not([data-screen]) video')) {
      video.muted = false;
      void video.play().catch(() => {});
    }
    this.onUnblocked();
    this.blocked = false;
    this.focusMic = true; // the button goes away with the next render
    this.host.requestUpdate();
  };

  hostUpdated(): void {
    if (!this.focusMic) return;
    this.focusMic = false;
    this.host.renderRoot.querySelector<HTMLElement>('[part~="mic-button"]')?.focus();
  }
}
