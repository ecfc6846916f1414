// Camera and microphone. Asks once per join; when the visitor has no camera or says
// no, or the page's permissions policy forbids them (an <iframe> without `allow`), the
// call goes on audio-only or receive-only and `notice` says why. Every track it ever
// obtained is stopped by `stop()`.
import { MeteredCallError } from '../errors.js';
import { policyBlocks, refusedByPolicy } from './permissions-policy.js';

export type MediaMode = 'audio-video' | 'audio-only' | 'video-only' | 'receive-only';

export interface LocalMediaResult {
  stream: MediaStream | null;
  mode: MediaMode;
  /** Why we are not sending both audio and video, if we are not. */
  notice: MeteredCallError | null;
}

/** What to use instead of asking for the default camera and microphone. */
export interface LocalMediaRequest {
  /** A stream already obtained (the pre-join preview): used as it is, and stopped by `stop()`. */
  stream?: MediaStream | null;
  /** Constraints for getUserMedia (chosen devices), when there is no stream. */
  audio?: MediaTrackConstraints | boolean;
  video?: MediaTrackConstraints | boolean;
}

export class LocalMedia {
  stream: MediaStream | null = null;
  mode: MediaMode = 'receive-only';
  notice: MeteredCallError | null = null;
  private generation = 0;

  /** Gets the best media available. Never rejects for device problems, only for `signal`'s abort. */
  async acquire(signal?: AbortSignal, wanted: LocalMediaRequest = {}): Promise<LocalMediaResult> {
    const given = wanted.stream?.getTracks().some(t => t.readyState === 'live') ? wanted.stream : null;
    if (this.stream !== given) this.stop();
    const generation = ++this.generation;
    const result = given ? { stream: given, mode: modeOf(given), notice: null } : await this.request(wanted);
    // stopped or superseded while the browser was asking: do not leak the tracks
    if (generation !== this.generation || signal?.aborted) {
      result.stream?.getTracks().forEach(t => t.stop());
      if (signal?.aborted) throw signal.reason;
      return { stream: null, mode: 'receive-only', notice: null };
    }
    this.stream = result.stream;
    this.mode = result.mode;
    this.notice = result.notice;
    return result;
  }

  /** Stops every track and forgets the stream. Idempotent; cancels a pending `acquire`. */
  stop(): void {
    this.generation++;
    this.stream?.getTracks().forEach(t => t.stop());
    this.stream = null;
    this.mode = 'receive-only';
    this.notice = null;
  }

  private async request({ audio = true, video = true }: LocalMediaRequest): Promise<LocalMediaResult> {
    const devices = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (!devices?.getUserMedia) {
      return { stream: null, mode: 'receive-only', notice: new MeteredCallError('media-unavailable') };
    }
    // what the permissions policy forbids is not asked for: the browser would refuse it unasked
    const blocked = policyBlocks({ camera: video !== false, microphone: audio !== false });
    if (blocked.length) {
      const notice = new MeteredCallError('media-blocked-by-policy', { detail: blocked.join(' and ') });
      if (blocked.includes('camera')) video = false;
      if (blocked.includes('microphone')) audio = false;
      if (!audio && !video) return { stream: null, mode: 'receive-only', notice };
      try {
        const stream = await devices.getUserMedia({ video, audio });
        return { stream, mode: modeOf(stream), notice };
      } catch {
        return { stream: null, mode: 'receive-only', notice };
      }
    }
    try {
      const stream = await devices.getUserMedia({ video, audio });
      return { stream, mode: 'audio-video', notice: null };
    } catch (err) {
      const name = (err as DOMException)?.name ?? 'Error';
      if (await refusedByPolicy(err, devices)) {
        return { stream: null, mode: 'receive-only', notice: new MeteredCallError('media-blocked-by-policy', { detail: `camera and microphone (${name})` }, { cause: err }) };
      }
      if (name === 'NotAllowedError' || name === 'SecurityError') {
        // one refusal is enough: asking again for half the devices would nag the visitor
        return { stream: null, mode: 'receive-only', notice: new MeteredCallError('media-denied', { detail: name }) };
      }
      // no camera, camera busy, constraints unsatisfiable: try each kind alone
      for (const [constraints, mode] of [
        [{ audio }, 'audio-only'],
        [{ video }, 'video-only'],
      ] as const) {
        try {
          const stream = await devices.getUserMedia(constraints);
          return { stream, mode, notice: new MeteredCallError('no-camera', { detail: `${name}; joined ${mode}` }) };
        } catch {
          /* try the next one */
        }
      }
      return { stream: null, mode: 'receive-only', notice: new MeteredCallError('no-camera', { detail: name }) };
    }
  }
}

function modeOf(stream: MediaStream): MediaMode {
  const a = stream.getAudioTracks().length > 0;
  const v = stream.getVideoTracks().length > 0;
  return a && v ? 'audio-video' : a ? 'audio-only' : v ? 'video-only' : 'receive-only';
}
