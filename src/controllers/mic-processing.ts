// The microphone's processing switches (noise suppression, echo cancellation, auto gain)
// in the element: which ones to offer, what the microphone does now (its track's settings,
// never what was asked), and a switch applied live; when the browser has to reopen the microphone for it, the new track takes
// the old one's place on the connection (replaceTrack, no renegotiation) and in our stream.
import type { ReactiveControllerHost } from 'lit';
import { applyProcessing, currentProcessing, supportedSwitches, type AudioProcessing, type AudioSwitch } from '../call/audio-processing.js';
import type { CallSession } from '../call/call-session.js';

export class MicProcessing {
  private readonly supported = supportedSwitches();
  /** A switch is being applied (the switches wait for it). */
  busy = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: CallSession,
    /** Our stream (the call's, else the preview's). */
    private readonly stream: () => MediaStream | null,
  ) {}

  /**
   * The switches to show, with what the microphone does now: those the browser supports, the
   * track reports, and the microphone can do both ways (Firefox's fake microphone offers only
   * `false`); none without a microphone.
   */
  get settings(): AudioProcessing {
    const track = this.stream()?.getAudioTracks()[0];
    const now = track ? currentProcessing(track) : {};
    const can = (track?.getCapabilities?.() ?? {}) as Record<string, unknown>;
    const shown: AudioProcessing = {};
    for (const name of this.supported) {
      const ways = can[name];
      if (now[name] !== undefined && (!Array.isArray(ways) || (ways.includes(true) && ways.includes(false)))) shown[name] = now[name];
    }
    return shown;
  }

  /** Turns `name` on or off on the live microphone; resolves with what it does then. */
  readonly set = async (name: AudioSwitch, on: boolean): Promise<AudioProcessing> => {
    const stream = this.stream();
    const track = stream?.getAudioTracks()[0];
    if (!stream || !track || this.busy) return this.settings;
    this.busy = true;
    this.host.requestUpdate();
    try {
      // only this switch: pinning the others would stop a browser that ties them together
      // (Chromium 156 turns all three off, or keeps all three on, whichever one is asked)
      await applyProcessing(track, { [name]: on }, async next => {
        if (this.stream() !== stream) throw new Error('the call ended meanwhile');
        const peer = this.session.sdkPeer;
        // reconnecting: the connections are being restored, no replaceTrack now; the microphone they send stays
        if (this.session.state === 'reconnecting') throw new Error('reconnecting');
        if (peer && this.session.state === 'joined') await peer.replaceTrack(track, next);
        stream.removeTrack(track);
        stream.addTrack(next);
      });
    } catch (err) {
      console.warn(`<metered-call> could not switch ${name}: ${(err as Error)?.message}`);
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
    return this.settings;
  };
}
