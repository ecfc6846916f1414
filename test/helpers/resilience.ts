// Page-side helpers of the resilience and security tests, used in the test page and (through
// test/fixtures/resilience-participant.ts, as `window.__r`) in participant pages.
// Everything waits for an event, a frame or a state — never for a fixed time.

type Call = HTMLElement & { state: string; peerId: string | null };

/** Remote tiles of `el`, by peer id (what is on screen, not what the SDK knows). */
export function remoteTiles(el: HTMLElement): Record<string, HTMLElement> {
  const out: Record<string, HTMLElement> = {};
  for (const tile of el.shadowRoot?.querySelectorAll<HTMLElement>('[part~="tile"][part~="remote"]') ?? []) {
    out[tile.dataset.peerId ?? ''] = tile;
  }
  return out;
}

export function remoteVideo(el: HTMLElement, peerId: string): HTMLVideoElement | null {
  return remoteTiles(el)[peerId]?.querySelector('video') ?? null;
}

/** Names shown on remote tiles, by peer id. */
export function remoteNames(el: HTMLElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, tile] of Object.entries(remoteTiles(el))) out[id] = tile.querySelector('[part~="name"]')?.textContent?.trim() ?? '';
  return out;
}

export interface FrameWatch {
  /** Frames presented so far and the longest time between two of them (or since the last one), ms. */
  report(): { frames: number; maxGapMs: number; sinceLastMs: number };
  /** Resolves once `count` more frames were presented. */
  frames(count: number, timeoutMs: number): Promise<void>;
  stop(): { frames: number; maxGapMs: number };
}

/**
 * Watches the frames a (possibly re-rendered) video element presents, with
 * requestVideoFrameCallback: the time between two presented frames is how long the
 * picture froze (per presented frame, so a busy main thread that runs one callback for
 * several frames does not count as a freeze). `getVideo` is asked again on every frame
 * and every 100 ms.
 */
export function watchFrames(getVideo: () => HTMLVideoElement | null): FrameWatch {
  let frames = 0;
  let last = 0;
  let maxGap = 0;
  let stopped = false;
  let current: HTMLVideoElement | null = null;
  let handle = 0;
  const waiters: Array<{ at: number; resolve: () => void }> = [];
  let lastPresented = 0;
  let lastVideo: HTMLVideoElement | null = null;
  const onFrame = (_now: number, metadata: VideoFrameCallbackMetadata) => {
    const now = performance.now();
    // Callbacks run on the page's main thread; on a loaded machine one callback can stand
    // for several frames the compositor presented meanwhile (presentedFrames says how many).
    // The picture froze only if the time per presented frame was long.
    const presented = typeof metadata?.presentedFrames === 'number' ? metadata.presentedFrames : 0;
    const sameVideo = current === lastVideo;
    const count = sameVideo && presented && lastPresented && presented > lastPresented ? presented - lastPresented : 1;
    frames += count;
    if (last) maxGap = Math.max(maxGap, (now - last) / count);
    last = now;
    lastPresented = presented;
    lastVideo = current;
    for (const w of [...waiters]) if (frames >= w.at) (waiters.splice(waiters.indexOf(w), 1), w.resolve());
    arm();
  };
  const arm = () => {
    if (stopped) return;
    const video = getVideo();
    if (current && current !== video) current.cancelVideoFrameCallback(handle);
    current = video;
    if (video) handle = video.requestVideoFrameCallback(onFrame);
  };
  const poll = setInterval(() => {
    if (getVideo() !== current) arm();
  }, 100);
  arm();
  const report = () => {
    const sinceLast = last ? performance.now() - last : 0;
    return { frames, maxGapMs: Math.round(Math.max(maxGap, sinceLast)), sinceLastMs: Math.round(sinceLast) };
  };
  return {
    report,
    frames(count, timeoutMs) {
      const at = frames + count;
      return new Promise((resolve, reject) => {
        const deadline = AbortSignal.timeout(timeoutMs);
        const onTimeout = () => reject(new Error(`only ${frames - (at - count)} of ${count} frames within ${timeoutMs} ms`));
        deadline.addEventListener('abort', onTimeout, { once: true });
        waiters.push({ at, resolve: () => (deadline.removeEventListener('abort', onTimeout), resolve()) });
      });
    },
    stop() {
      const r = report();
      stopped = true;
      clearInterval(poll);
      if (current) current.cancelVideoFrameCallback(handle);
      return { frames: r.frames, maxGapMs: r.maxGapMs };
    },
  };
}

/** Resolves when `check()` is true, checked on every animation frame; rejects after `timeoutMs`. */
export function until(check: () => boolean, what: string, timeoutMs = 15000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const tick = () => {
      let ok = false;
      try {
        ok = check();
      } catch {
        ok = false;
      }
      if (ok) return resolve();
      if (performance.now() - t0 > timeoutMs) return reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      requestAnimationFrame(tick);
    };
    tick();
  });
}

/** `promise`, or a rejection naming `what` (read when the time is up) if it has not settled within `timeoutMs`. */
export function withDeadline<T>(promise: Promise<T>, timeoutMs: number, what: string | (() => string)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = () => reject(new Error(`no ${typeof what === 'string' ? what : what()} within ${timeoutMs} ms`));
    deadline.addEventListener('abort', onTimeout, { once: true });
    promise.then(
      value => (deadline.removeEventListener('abort', onTimeout), resolve(value)),
      (err: unknown) => (deadline.removeEventListener('abort', onTimeout), reject(err)),
    );
  });
}

/** Like `until`, for an asynchronous check (e.g. getStats). */
export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 15000): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => requestAnimationFrame(r));
  }
}

/** Resolves with the next value of the `state` attribute that `accept` takes (or the current one). */
export function stateBecomes(el: Call, accept: (state: string) => boolean, timeoutMs = 15000): Promise<string> {
  if (accept(el.state)) return Promise.resolve(el.state);
  return new Promise((resolve, reject) => {
    const deadline = AbortSignal.timeout(timeoutMs);
    const onTimeout = () => {
      observer.disconnect();
      reject(new Error(`state stayed "${el.state}" for ${timeoutMs} ms`));
    };
    deadline.addEventListener('abort', onTimeout, { once: true });
    const observer = new MutationObserver(() => {
      const state = el.getAttribute('state') ?? '';
      if (!accept(state)) return;
      deadline.removeEventListener('abort', onTimeout);
      observer.disconnect();
      resolve(state);
    });
    observer.observe(el, { attributes: true, attributeFilter: ['state'] });
  });
}

export interface FetchLog {
  at: number;
  status: number;
}

/**
 * Counts (and optionally fails) this page's fetches whose URL contains `match`: `fail`
 * set to a status makes them answer that status without reaching the server.
 */
export function fetchTap(match: string) {
  const log: FetchLog[] = [];
  const state = { fail: 0 as number, log };
  const native = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.includes(match)) return native(input, init);
    if (state.fail) {
      log.push({ at: performance.now(), status: state.fail });
      return new Response(JSON.stringify({ error: 'injected failure' }), { status: state.fail, headers: { 'Content-Type': 'application/json' } });
    }
    const response = await native(input, init);
    log.push({ at: performance.now(), status: response.status });
    return response;
  };
  return state;
}

/**
 * Counts this page's WebSockets, RTCPeerConnections and captured tracks without keeping
 * any of them alive (WeakRefs), so that leak tests measure the element, not the probe.
 * A connection or socket that was collected was closed: the browser keeps open ones alive.
 */
export function weakTap() {
  const sockets: Array<WeakRef<WebSocket>> = [];
  const pcs: Array<WeakRef<RTCPeerConnection>> = [];
  const tracks: Array<WeakRef<MediaStreamTrack>> = [];
  const NativeWS = window.WebSocket;
  window.WebSocket = class TappedWebSocket extends NativeWS {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(new WeakRef(this));
    }
  } as typeof WebSocket;
  const NativePC = window.RTCPeerConnection;
  window.RTCPeerConnection = class TappedRTCPeerConnection extends NativePC {
    constructor(config?: RTCConfiguration) {
      super(config);
      pcs.push(new WeakRef(this));
    }
  } as typeof RTCPeerConnection;
  const devices = navigator.mediaDevices;
  const gum = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await gum(constraints);
    for (const t of stream.getTracks()) tracks.push(new WeakRef(t));
    return stream;
  };
  const live = <T>(refs: Array<WeakRef<T & object>>, alive: (x: T) => boolean) =>
    refs.reduce((n, r) => {
      const x = r.deref();
      return n + (x && alive(x) ? 1 : 0);
    }, 0);
  return {
    /** Sockets whose URL starts with `prefix` that are connecting or open. */
    openSockets: (prefix = '') => live(sockets, s => s.url.startsWith(prefix) && s.readyState <= NativeWS.OPEN),
    livePcs: () => live(pcs, pc => pc.connectionState !== 'closed'),
    liveTracks: () => live(tracks, t => t.readyState === 'live'),
  };
}

/** Counts this page's WebSockets (weakly held): created, and not yet closed. */
export function socketTap() {
  const tap = weakTap();
  return { open: (prefix = '') => tap.openSockets(prefix) };
}

/** `selected local candidate type` and id of every live connection, for TURN tests. */
export async function selectedPairs(pcs: RTCPeerConnection[]): Promise<Array<{ type: string | null; id: string | null; state: string }>> {
  const out = [];
  for (const pc of pcs) {
    if (pc.connectionState === 'closed') continue;
    const stats = await pc.getStats();
    let pairId: string | undefined;
    stats.forEach((s: { type?: string; selectedCandidatePairId?: string }) => {
      if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    let pair = pairId ? (stats.get(pairId) as { localCandidateId?: string } | undefined) : undefined;
    if (!pair)
      stats.forEach((s: { type?: string; selected?: boolean; localCandidateId?: string }) => {
        if (!pair && s.type === 'candidate-pair' && s.selected) pair = s;
      });
    const local = pair?.localCandidateId ? (stats.get(pair.localCandidateId) as { candidateType?: string; address?: string; port?: number }) : undefined;
    out.push({ type: local?.candidateType ?? null, id: local ? `${local.address}:${local.port}` : null, state: pc.connectionState });
  }
  return out;
}
