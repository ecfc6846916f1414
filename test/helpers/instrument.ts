// Page instrumentation for element tests, in the test page itself or in a participant:
// counts every RTCPeerConnection and every captured track, can fake a refused
// getUserMedia, records the element's events, and waits for remote video frames.
import { waitForFrames } from './frames.js';

export interface RecordedEvent {
  type: string;
  detail: unknown;
  bubbles: boolean;
  composed: boolean;
  at: number;
}

export interface PageProbe {
  /** Every RTCPeerConnection created in this page. */
  peerConnections: RTCPeerConnection[];
  /** Every track getUserMedia handed out in this page. */
  tracks: MediaStreamTrack[];
  events: RecordedEvent[];
  livePeerConnections(): number;
  liveTracks(): number;
  watch(el: HTMLElement): void;
  /** Remote `<video>`s in `el`'s shadow root, by peer id. */
  remoteVideos(el: HTMLElement): Record<string, HTMLVideoElement>;
  /** Resolves once every listed remote tile (default: all present) presented `frames` frames. */
  waitForRemoteFrames(el: HTMLElement, peerIds?: string[], frames?: number, timeoutMs?: number): Promise<number>;
  /** Names shown on remote tiles, by peer id. */
  remoteNames(el: HTMLElement): Record<string, string>;
}

const EVENT_TYPES = ['joined', 'peer-joined', 'peer-left', 'introduce', 'left', 'error'];

export function instrumentPage(options: { denyMedia?: boolean } = {}): PageProbe {
  const existing = (window as unknown as { __probe?: PageProbe }).__probe;
  if (existing) return existing;
  const peerConnections: RTCPeerConnection[] = [];
  const tracks: MediaStreamTrack[] = [];
  const events: RecordedEvent[] = [];

  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class CountedRTCPeerConnection extends NativePC {
    constructor(config?: RTCConfiguration) {
      super(config);
      peerConnections.push(this);
    }
  } as typeof RTCPeerConnection;

  const devices = navigator.mediaDevices;
  const nativeGetUserMedia = devices.getUserMedia.bind(devices);
  devices.getUserMedia = options.denyMedia
    ? // the fake: what a browser does when the visitor refuses camera and microphone
      async function fakeDeniedGetUserMedia() {
        throw new DOMException('Permission denied (fake, for the receive-only test)', 'NotAllowedError');
      }
    : async (constraints?: MediaStreamConstraints) => {
        const stream = await nativeGetUserMedia(constraints);
        tracks.push(...stream.getTracks());
        return stream;
      };

  const probe: PageProbe = {
    peerConnections,
    tracks,
    events,
    livePeerConnections: () => peerConnections.filter(pc => pc.connectionState !== 'closed').length,
    liveTracks: () => tracks.filter(t => t.readyState === 'live').length,
    watch(el) {
      for (const type of EVENT_TYPES) {
        el.addEventListener(type, (e: Event) => {
          events.push({ type, detail: (e as CustomEvent).detail, bubbles: e.bubbles, composed: e.composed, at: performance.now() });
        });
      }
    },
    remoteVideos(el) {
      const out: Record<string, HTMLVideoElement> = {};
      for (const tile of el.shadowRoot?.querySelectorAll<HTMLElement>('[part~="remote"]') ?? []) {
        const video = tile.querySelector('video');
        if (video && tile.dataset.peerId) out[tile.dataset.peerId] = video;
      }
      return out;
    },
    async waitForRemoteFrames(el, peerIds, frames = 3, timeoutMs = 10000) {
      const started = performance.now();
      const deadline = started + timeoutMs;
      // the tile appears on peer-joined; its video gets a stream on `track`
      for (;;) {
        const videos = probe.remoteVideos(el);
        const ids = peerIds ?? Object.keys(videos);
        if (ids.length > 0 && ids.every(id => videos[id]?.srcObject)) {
          const left = Math.max(1, deadline - performance.now());
          await Promise.all(ids.map(id => waitForFrames(videos[id]!, frames, left)));
          return performance.now() - started;
        }
        if (performance.now() > deadline) throw new Error(`no remote stream for ${JSON.stringify(peerIds ?? 'any peer')} within ${timeoutMs} ms`);
        await new Promise(r => setTimeout(r, 50));
      }
    },
    remoteNames(el) {
      const out: Record<string, string> = {};
      for (const tile of el.shadowRoot?.querySelectorAll<HTMLElement>('[part~="remote"]') ?? []) {
        const name = tile.querySelector('[part~="name"]');
        if (tile.dataset.peerId) out[tile.dataset.peerId] = name?.textContent?.trim() ?? '';
      }
      return out;
    },
  };
  Object.assign(window, { __probe: probe });
  return probe;
}
