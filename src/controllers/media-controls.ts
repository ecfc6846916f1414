// What this participant sends, and the controls over it: the pre-join preview, microphone
// and camera on/off (the track's `enabled`: instant, no renegotiation, the camera light
// goes off in browsers that do that for disabled tracks), switching devices mid-call
// with `replaceTrack` (no renegotiation), and screen sharing as a second track marked
// `role: "screen"` (stopped from our button or from the browser's own "Stop sharing").
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeteredCallError } from '../errors.js';
import type { MediaState } from '../protocol/messages.js';
import type { CallSession } from '../call/call-session.js';
import { Devices, type DeviceKind } from './devices.js';
import { LocalMedia } from '../call/local-media.js';

import { inRoom } from '../types.js';

export class MediaControls implements ReactiveController {
  /** The visitor's wishes; they hold before, during and across calls. */
  micOn = true;
  camOn = true;
  /** Our shared screen while sharing. */
  screen: MediaStream | null = null;
  /** The browser could not capture a screen (not a refusal by the visitor): said in the element. */
  screenFailed = false;
  /** Pre-join: `pending` while the browser asks, then the stream or why there is none. */
  previewPending = false;
  previewNotice: MeteredCallError | null = null;
  private previewTried = false;
  private readonly preview = new LocalMedia();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly session: CallSession,
    readonly devices: Devices,
    /** Called whenever what we send changes (the element tells the others). */
    private readonly onChange: () => void,
  ) {
    host.addController(this);
  }

  /** The stream we show as ourselves: the call's, else the preview's. */
  get stream(): MediaStream | null {
    return this.session.localStream ?? this.preview.stream;
  }

  /** Our media state: what the others should know we send. */
  get mediaState(): MediaState {
    const s = this.stream;
    return {
      audio: this.micOn && !!s?.getAudioTracks().length,
      video: this.camOn && !!s?.getVideoTracks().length,
      screen: !!this.screen,
    };
  }

  static get canShareScreen(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
  }

  hostUpdate(): void {
    // the call ended (left, error, removed from the page): our screen goes with it
    if (this.screen && !inRoom(this.session.state)) this.stopScreen();
  }

  hostDisconnected(): void {
    this.stopPreview();
  }

  /** Starts the camera preview for the pre-join screen (once; again after `stopPreview`). */
  async startPreview(): Promise<void> {
    // once: re-asking after a refusal on every render would loop (with no await at all when
    // the permissions policy answers, freezing the page)
    if (this.preview.stream || this.previewPending || this.previewTried) return;
    this.previewTried = true;
    this.previewPending = true;
    this.previewNotice = null;
    this.host.requestUpdate();
    try {
      const result = await this.preview.acquire(undefined, {
        audio: this.devices.constraints('microphone'),
        video: this.devices.constraints('camera'),
      });
      this.previewNotice = result.notice;
      this.apply();
      if (result.stream) await this.devices.refresh();
    } finally {
      this.previewPending = false;
      this.host.requestUpdate();
    }
  }

  stopPreview(): void {
    this.previewTried = false;
    this.preview.stop();
    this.previewPending = false;
    this.host.requestUpdate();
  }

  /** Hands the preview's stream to the call (not stopped: the call owns it now). */
  takePreview(): MediaStream | null {
    const stream = this.preview.stream;
    this.preview.stream = null;
    this.preview.stop(); // cancels a request still pending
    return stream;
  }

  toggleMic(): void {
    this.micOn = !this.micOn;
    this.apply();
  }

  toggleCamera(): void {
    this.camOn = !this.camOn;
    this.apply();
  }

  /** Applies the on/off wishes to the tracks we have. */
  apply(): void {
    const s = this.stream;
    s?.getAudioTracks().forEach(t => (t.enabled = this.micOn));
    s?.getVideoTracks().forEach(t => (t.enabled = this.camOn));
    this.changed();
  }

  /**
   * Switches camera or microphone. In a call the new track replaces the old one on every
   * connection (`replaceTrack`: no renegotiation, the call goes on); before it, the
   * preview switches. Resolves once the new device is in use.
   */
  async switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    this.devices.choose(kind, deviceId);
    const stream = this.stream;
    const video = kind === 'camera';
    const old = video ? stream?.getVideoTracks()[0] : stream?.getAudioTracks()[0];
    if (!stream || !old) return;
    const constraints = deviceId ? { deviceId: { exact: deviceId } } : true;
    let fresh: MediaStream;
    try {
      fresh = await navigator.mediaDevices.getUserMedia(video ? { video: constraints } : { audio: constraints });
    } catch {
      // some devices cannot be open twice (phones' cameras): let go of the old one first
      old.stop();
      fresh = await navigator.mediaDevices.getUserMedia(video ? { video: constraints } : { audio: constraints });
    }
    const track = fresh.getTracks()[0]!;
    if (this.stream !== stream) {
      // left or joined meanwhile
      track.stop();
      return;
    }
    track.enabled = video ? this.camOn : this.micOn;
    const peer = this.session.sdkPeer;
    if (peer && this.session.state === 'joined') await peer.replaceTrack(old, track);
    stream.removeTrack(old);
    stream.addTrack(track);
    old.stop();
    void this.devices.refresh();
    this.changed();
  }

  async toggleScreen(): Promise<void> {
    if (this.screen) return this.stopScreen();
    const peer = this.session.sdkPeer;
    if (!peer || this.session.state !== 'joined' || !MediaControls.canShareScreen) return;
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    } catch (err) {
      // NotAllowedError: the visitor cancelled the browser's picker; nothing to say
      if ((err as DOMException)?.name !== 'NotAllowedError') {
        console.warn(`<metered-call> screen sharing failed: ${(err as Error)?.name}: ${(err as Error)?.message}`);
        this.screenFailed = true;
        this.host.requestUpdate();
      }
      return;
    }
    const track = stream.getVideoTracks()[0];
    if (!track || this.session.sdkPeer !== peer || this.session.state !== 'joined') {
      stream.getTracks().forEach(t => t.stop());
      return;
    }
    track.contentHint = 'detail';
    // the browser's own "Stop sharing" bar ends the track
    track.addEventListener('ended', () => this.screen === stream && this.stopScreen());
    peer.addTrack(track, stream, { role: 'screen' });
    this.screen = stream;
    this.screenFailed = false;
    this.changed();
  }

  stopScreen(): void {
    const stream = this.screen;
    if (!stream) return;
    this.screen = null;
    const peer = this.session.sdkPeer;
    for (const track of stream.getTracks()) {
      try {
        if (peer && inRoom(this.session.state)) peer.removeTrack(track);
      } catch {
        /* the peer is closing anyway */
      }
      track.stop();
    }
    this.changed();
  }

  private changed(): void {
    this.host.requestUpdate();
    this.onChange();
  }
}

export { Devices };
