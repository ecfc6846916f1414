// Page instrumentation for element tests, in the test page itself or in a participant:
// counts every RTCPeerConnection and every captured track, can fake a refused
// getUserMedia, records the element's events, and waits for remote video frames.

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
  /**
   * The description types ever applied to `pc` (`local:offer`, `remote:answer`…), recorded as
   * they are set: readable after close in every browser (Firefox throws on reading a closed
   * connection's `localDescription`).
   */
  descriptionsOf(pc: RTCPeerConnection): string[];
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

/** `true` once `video` presents a frame, `false` if none within `ms`. */
function nextFrame(video: HTMLVideoElement, ms: number): Promise<boolean> {
  return new Promise(resolve => {
    const deadline = AbortSignal.timeout(ms);
    const onTimeout = () => {
      video.cancelVideoFrameCallback(handle);
      resolve(false);
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    const handle = video.requestVideoFrameCallback(() => {
      deadline.removeEventListener('abort', onTimeout);
      resolve(true);
    });
  });
}

export interface InstrumentOptions {
  /** Fake a refused getUserMedia (NotAllowedError). */
  denyMedia?: boolean;
  /**
   * Simulate the stall: the first RTCPeerConnection of this page loses every ICE candidate,
   * both ways, for good (ICE restarts do not help — as with Chromium's stuck ICE agent), so
   * it sits in connectionState "new". Connections made after it are unaffected.
   */
  stallFirstConnection?: boolean;
}

/** Makes `pc` lose every ICE candidate, both directions, trickled or embedded in SDP, for good. */
function loseAllIce(pc: RTCPeerConnection): void {
  const strip = (sdp: string) => sdp.replace(/^a=(candidate|end-of-candidates).*\r?\n/gm, '');
  // trickled candidates, out: never reach the SDK's listener
  const addEventListener = pc.addEventListener.bind(pc);
  const removeEventListener = pc.removeEventListener.bind(pc);
  const wrapped = new Map<unknown, EventListener>();
  pc.addEventListener = ((type: string, listener: EventListener, opts?: boolean | AddEventListenerOptions) => {
    if (type !== 'icecandidate') return addEventListener(type, listener, opts);
    const filter = (e: Event) => {
      if (!(e as RTCPeerConnectionIceEvent).candidate) listener.call(pc, e);
    };
    wrapped.set(listener, filter);
    return addEventListener(type, filter, opts);
  }) as typeof pc.addEventListener;
  pc.removeEventListener = ((type: string, listener: EventListener, opts?: boolean | EventListenerOptions) =>
    removeEventListener(type, wrapped.get(listener) ?? listener, opts)) as typeof pc.removeEventListener;
  // candidates embedded in our description, out: stripped from what the SDK sends
  const proto = Object.getPrototypeOf(Object.getPrototypeOf(pc)) as RTCPeerConnection;
  const nativeLocal = Object.getOwnPropertyDescriptor(proto, 'localDescription')!.get!;
  Object.defineProperty(pc, 'localDescription', {
    get() {
      const d = nativeLocal.call(pc) as RTCSessionDescription | null;
      if (!d) return d;
      const sdp = strip(d.sdp);
      return { type: d.type, sdp, toJSON: () => ({ type: d.type, sdp }) };
    },
  });
  // candidates in, trickled or embedded: dropped
  const addIceCandidate = pc.addIceCandidate.bind(pc);
  pc.addIceCandidate = ((candidate?: RTCIceCandidateInit | null) =>
    candidate?.candidate ? Promise.resolve() : addIceCandidate(candidate ?? undefined)) as typeof pc.addIceCandidate;
  const setRemoteDescription = pc.setRemoteDescription.bind(pc);
  pc.setRemoteDescription = ((d: RTCSessionDescriptionInit) =>
    setRemoteDescription(d.sdp ? { type: d.type, sdp: strip(d.sdp) } : d)) as typeof pc.setRemoteDescription;
}

export function instrumentPage(options: InstrumentOptions = {}): PageProbe {
  const existing = (window as unknown as { __probe?: PageProbe }).__probe;
  if (existing) return existing;
  const peerConnections: RTCPeerConnection[] = [];
  const tracks: MediaStreamTrack[] = [];
  const events: RecordedEvent[] = [];

  const applied = new WeakMap<RTCPeerConnection, string[]>();
  const record = (pc: RTCPeerConnection, side: string, d: { type?: string } | undefined, set: Promise<void>) =>
    set.then(() => {
      applied.get(pc)?.push(`${side}:${d?.type ?? pc[side === 'local' ? 'localDescription' : 'remoteDescription']?.type ?? '?'}`);
    });

  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class CountedRTCPeerConnection extends NativePC {
    constructor(config?: RTCConfiguration) {
      super(config);
      peerConnections.push(this);
      applied.set(this, []);
      if (options.stallFirstConnection && peerConnections.length === 1) loseAllIce(this);
    }
    override setLocalDescription(d?: RTCLocalSessionDescriptionInit): Promise<void> {
      return record(this, 'local', d, super.setLocalDescription(d));
    }
    override setRemoteDescription(d: RTCSessionDescriptionInit): Promise<void> {
      return record(this, 'remote', d, super.setRemoteDescription(d));
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
    descriptionsOf: pc => [...(applied.get(pc) ?? [])],
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
      // Follows each peer's current tile: a tile can be re-created (after a rescue rejoin),
      // and frames of a <video> no longer on the page do not count.
      const started = performance.now();
      const deadline = started + timeoutMs;
      const seen = new Map<HTMLVideoElement, number>();
      for (;;) {
        const videos = probe.remoteVideos(el);
        const ids = peerIds ?? Object.keys(videos);
        const count = (id: string) => (videos[id] ? (seen.get(videos[id]) ?? 0) : 0);
        const pending = ids.filter(id => count(id) < frames);
        if (ids.length > 0 && pending.length === 0) return performance.now() - started;
        if (performance.now() > deadline) {
          const state = ids.map(id => `${id.slice(0, 8)}: ${count(id)} of ${frames} frames`).join(', ');
          throw new Error(`remote video within ${timeoutMs} ms: ${state || 'no remote tile'}`);
        }
        // (always yield to the event loop: with no tile yet there is nothing else to wait on)
        if (pending.every(id => !videos[id]?.srcObject)) {
          await new Promise(r => requestAnimationFrame(r));
          continue;
        }
        await Promise.all(
          pending.map(async id => {
            const video = videos[id];
            if (!video?.srcObject) return new Promise(r => requestAnimationFrame(r));
            if (await nextFrame(video, 250)) seen.set(video, (seen.get(video) ?? 0) + 1);
          }),
        );
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
