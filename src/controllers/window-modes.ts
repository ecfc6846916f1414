// Picture-in-picture and fullscreen. PiP shows one remote video in the browser's floating
// window — a shared screen, else who speaks, else the first other participant with video —
// and follows that choice while it is open (a page in PiP may switch the video without a
// new click). Fullscreen is the whole element. Each button shows only where the browser
// offers it: PiP needs document.pictureInPictureEnabled and requestPictureInPicture (Chromium,
// Safari, Firefox from 153 here; not older Firefox), fullscreen document.fullscreenEnabled
// (false in a frame without allowfullscreen).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TileView } from '../ui/view-model.js';

type Host = ReactiveControllerHost & HTMLElement & { readonly renderRoot: HTMLElement | DocumentFragment };

export const canPictureInPicture = (): boolean =>
  typeof document !== 'undefined' && document.pictureInPictureEnabled === true && typeof HTMLVideoElement.prototype.requestPictureInPicture === 'function';

export const canFullscreen = (el: Element): boolean => typeof document !== 'undefined' && document.fullscreenEnabled === true && typeof el.requestFullscreen === 'function';

export class WindowModes implements ReactiveController {
  constructor(
    private readonly host: Host,
    /** The `data-key` of the tile PiP should show now, or null when there is none. */
    private readonly pipKey: () => string | null,
  ) {
    host.addController(this);
  }

  /** Our video is in the PiP window. */
  get pip(): boolean {
    return !!(this.host.renderRoot as ShadowRoot).pictureInPictureElement;
  }

  get fullscreen(): boolean {
    return document.fullscreenElement === this.host;
  }

  hostConnected(): void {
    // enter/leavepictureinpicture bubble from the video; fullscreenchange reaches the document
    this.host.renderRoot.addEventListener('enterpictureinpicture', this.changed);
    this.host.renderRoot.addEventListener('leavepictureinpicture', this.changed);
    document.addEventListener('fullscreenchange', this.changed);
  }

  hostDisconnected(): void {
    this.host.renderRoot.removeEventListener('enterpictureinpicture', this.changed);
    this.host.renderRoot.removeEventListener('leavepictureinpicture', this.changed);
    document.removeEventListener('fullscreenchange', this.changed);
  }

  hostUpdated(): void {
    // in PiP and someone else should be shown now: move the window to their video
    const current = (this.host.renderRoot as ShadowRoot).pictureInPictureElement;
    const next = current && this.video();
    if (next && next !== current && next.readyState > 0) next.requestPictureInPicture().catch(() => {});
  }

  readonly togglePip = async (): Promise<void> => {
    try {
      if (this.pip) return void (await document.exitPictureInPicture());
      const video = this.video();
      if (!video) return;
      // a video shown a moment ago may not have its size yet; the click's activation outlasts the wait
      if (!video.readyState) await new Promise(loaded => (video.addEventListener('loadedmetadata', loaded, { once: true }), setTimeout(loaded, 3000)));
      await video.requestPictureInPicture();
    } catch (err) {
      console.warn(`<metered-call> picture-in-picture: ${(err as Error)?.message}`);
    }
  };

  readonly toggleFullscreen = async (): Promise<void> => {
    try {
      if (this.fullscreen) await document.exitFullscreen();
      else await this.host.requestFullscreen();
    } catch (err) {
      console.warn(`<metered-call> fullscreen: ${(err as Error)?.message}`);
    }
  };

  private video(): HTMLVideoElement | null {
    const key = this.pipKey();
    return key ? this.host.renderRoot.querySelector<HTMLVideoElement>(`[part~="tile"][data-key="${CSS.escape(key)}"] video`) : null;
  }

  private readonly changed = () => this.host.requestUpdate();
}

/** The tile PiP shows: another participant's shared screen, else who speaks, else the first other video. */
export function pipTileKey(tiles: readonly TileView[], activeSpeaker: string | null): string | null {
  const videos = tiles.filter(t => !t.local && t.showVideo);
  return (videos.find(t => t.screen) ?? videos.find(t => t.peerId === activeSpeaker) ?? videos[0])?.key ?? null;
}
