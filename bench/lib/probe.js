// Injected into every bench page before its own scripts (Playwright addInitScript).
// It only observes — it never changes what a page does, except that with
// window.__benchForceRelay every RTCPeerConnection gets iceTransportPolicy "relay"
// (how the TURN scenario forces media through coturn, for every contender alike).
// Times are wall-clock ms (performance.timeOrigin + now), comparable across pages.
(() => {
  if (window.__bench) return;
  const T = () => performance.timeOrigin + performance.now();
  const B = (window.__bench = {
    t0: performance.timeOrigin,
    marks: {},          // first time each milestone happened in this page
    frames: {},         // remote video track id → { first, count }
    pcs: [],            // WeakRefs: the probe must not keep connections alive
    wsSent: 0, wsRecv: 0, wsSentFrames: 0,
    srcObjectSets: 0,   // assignments to any media element's srcObject (each one reloads the element)
    pcsCreated: 0,      // RTCPeerConnections constructed (a rebuilt connection is one more)
  });
  const waiters = new Set();
  const notify = () => { for (const w of [...waiters]) w(); };
  const mark = k => { if (!(k in B.marks)) { B.marks[k] = T(); notify(); } };
  // (B.marks is replaced by reset(), so always go through B)
  B.mark = mark;
  /** Resolves true once check() is truthy (re-checked at every milestone and first frame), false after timeoutMs. */
  B.when = (check, timeoutMs) => new Promise(resolve => {
    if (check()) return resolve(true);
    const w = () => { if (check()) { waiters.delete(w); clearTimeout(timer); resolve(true); } };
    const timer = setTimeout(() => { waiters.delete(w); resolve(false); }, timeoutMs);
    waiters.add(w);
  });

  const senderOf = new Map(); // remote track id → the sender's stream id
  // --- RTCPeerConnection: milestones of negotiation and ICE, and a weak list for stats
  const PC = window.RTCPeerConnection;
  if (PC) {
    const Wrapped = new Proxy(PC, {
      construct(target, args, newTarget) {
        if (window.__benchForceRelay) args = [{ ...(args[0] || {}), iceTransportPolicy: 'relay' }, ...args.slice(1)];
        const pc = Reflect.construct(target, args, newTarget === Wrapped ? target : newTarget);
        B.pcs.push(new WeakRef(pc));
        B.pcsCreated++;
        mark('pc');
        pc.addEventListener('icecandidate', e => { if (e.candidate) mark('candidate'); });
        pc.addEventListener('signalingstatechange', () => {
          const s = pc.signalingState;
          if (s === 'have-local-offer') mark('offer-sent');
          else if (s === 'have-remote-offer') mark('offer-received');
          else if (s === 'stable' && ('offer-sent' in B.marks || 'offer-received' in B.marks)) mark('negotiated');
        });
        pc.addEventListener('iceconnectionstatechange', () => {
          const s = pc.iceConnectionState;
          if (s === 'checking') mark('ice-checking');
          if (s === 'connected' || s === 'completed') mark('ice-connected');
        });
        pc.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') mark('connected'); });
        pc.addEventListener('track', e => {
          mark('track');
          // the sender's own stream id (msid) names the remote participant, also across
          // re-created connections; pages may wrap the track in a stream of their own
          if (e.streams && e.streams[0]) senderOf.set(e.track.id, e.streams[0].id);
        });
        return pc;
      },
    });
    window.RTCPeerConnection = Wrapped;
  }
  B.livePcs = () => {
    B.pcs = B.pcs.filter(r => r.deref());
    return B.pcs.map(r => r.deref()).filter(Boolean);
  };
  /** Forgets milestones and frames (the leak scenario calls it before each join). */
  B.reset = () => { B.marks = {}; B.frames = {}; B.livePcs(); };

  // --- WebSocket: socket open, the join acknowledgement, signalling bytes
  const WS = window.WebSocket;
  const subscribes = new Set();
  const Ws = new Proxy(WS, {
    construct(target, args, newTarget) {
      const ws = Reflect.construct(target, args, newTarget === Ws ? target : newTarget);
      mark('ws-created');
      ws.addEventListener('open', () => mark('ws-open'));
      ws.addEventListener('message', e => {
        const d = typeof e.data === 'string' ? e.data : '';
        B.wsRecv += d.length;
        if (!d) return;
        let m;
        try { m = JSON.parse(d); } catch { return; }
        if (m.type === 'welcome' || m.type === 'OPEN') mark('ws-welcome');
        if (m.type === 'OPEN') mark('joined'); // PeerJS: the server accepted our id
        if (m.type === 'ack' && subscribes.has(m.requestId)) mark('joined'); // Metered: subscribe acknowledged
      });
      const send = ws.send;
      ws.send = function (d) {
        if (typeof d === 'string') {
          B.wsSent += d.length;
          B.wsSentFrames++;
          if (d.includes('"subscribe"')) {
            try { const m = JSON.parse(d); if (m.type === 'subscribe') { subscribes.add(m.requestId); mark('subscribe-sent'); } } catch {}
          }
        }
        return send.call(this, d);
      };
      return ws;
    },
  });
  window.WebSocket = Ws;

  // --- getUserMedia
  const md = navigator.mediaDevices;
  if (md && md.getUserMedia) {
    const gum = md.getUserMedia;
    md.getUserMedia = function (...a) {
      mark('gum-start');
      return gum.apply(this, a).then(s => { mark('gum-done'); return s; });
    };
  }

  // --- remote video frames: whenever a <video> gets a stream with a received track,
  // count its presented frames with requestVideoFrameCallback (first one = "first frame").
  const isRemote = track => B.livePcs().some(pc => pc.getReceivers().some(r => r.track === track));
  const desc = Object.getOwnPropertyDescriptor(HTMLMediaElement.prototype, 'srcObject');
  const watched = new WeakMap();
  function watch(video, stream) {
    if (!(video instanceof HTMLVideoElement) || !stream || !stream.getVideoTracks) return;
    const track = stream.getVideoTracks()[0];
    if (!track || !isRemote(track)) return;
    const id = track.id;
    watched.set(video, id);
    const f = (B.frames[id] ||= { first: null, count: 0, streamId: stream.id, sender: senderOf.get(id) || stream.id });
    // only the first frame: a pending callback per video is all the probe ever holds
    // (frame rates come from RTC stats), so it cannot keep a removed <video> alive
    const onFrame = now => {
      if (watched.get(video) !== id || f.first !== null) return;
      f.first = performance.timeOrigin + now;
      f.count++;
      mark('first-frame');
      notify();
    };
    if (f.first === null) video.requestVideoFrameCallback(onFrame);
  }
  Object.defineProperty(HTMLMediaElement.prototype, 'srcObject', {
    ...desc,
    set(v) { B.srcObjectSets++; desc.set.call(this, v); try { watch(this, v); } catch {} },
  });

  // --- element events (they bubble and are composed)
  for (const type of ['joined', 'peer-joined', 'peer-left', 'left', 'error'])
    addEventListener(type, () => mark('event-' + type), true);

  /** Remote video tracks that have presented a frame. */
  /** Remote participants (sender streams) with at least one presented frame. */
  B.decoded = () => [...new Set(Object.values(B.frames).filter(f => f.first !== null).map(f => f.sender))];
  /** Resolves true once `n` remote video tracks have presented a frame, false after timeoutMs. */
  B.waitDecoded = (n, timeoutMs) => B.when(() => B.decoded().length >= n, timeoutMs);
  /** Resolves true once every named milestone happened, false after timeoutMs. */
  B.waitMarks = (names, timeoutMs) => B.when(() => names.every(k => k in B.marks), timeoutMs);
  /** Snapshot for the runner. */
  B.snapshot = () => ({
    t0: B.t0, now: T(), marks: B.marks, pcsCreated: B.pcsCreated, frames: B.frames, srcObjectSets: B.srcObjectSets, wsSent: B.wsSent, wsRecv: B.wsRecv, wsSentFrames: B.wsSentFrames,
    resources: performance.getEntriesByType('resource').map(r => ({ name: r.name, start: B.t0 + r.startTime, end: B.t0 + r.responseEnd, size: r.transferSize })),
    domContentLoaded: (() => { const n = performance.getEntriesByType('navigation')[0]; return n ? B.t0 + n.domContentLoadedEventEnd : null; })(),
    pcs: B.livePcs().map(pc => ({ connectionState: pc.connectionState, iceConnectionState: pc.iceConnectionState, signalingState: pc.signalingState, iceGatheringState: pc.iceGatheringState })),
  });
  /** Sum of a few RTC stats over this page's live connections. */
  B.rtcStats = async () => {
    const out = { bytesSent: 0, bytesReceived: 0, framesDecoded: 0, framesDropped: 0, framesReceived: 0, pcs: 0, candidatePairs: [] };
    for (const pc of B.livePcs()) {
      if (pc.connectionState === 'closed') continue;
      out.pcs++;
      const report = await pc.getStats();
      report.forEach(s => {
        if (s.type === 'transport') {
          // Firefox's transport stats carry no byte counts: its selected candidate pair's stand in
          const b = typeof s.bytesSent === 'number' ? s : report.get(s.selectedCandidatePairId);
          if (b) { out.bytesSent += b.bytesSent || 0; out.bytesReceived += b.bytesReceived || 0; }
        }
        if (s.type === 'inbound-rtp' && s.kind === 'video') {
          out.framesDecoded += s.framesDecoded || 0; out.framesDropped += s.framesDropped || 0; out.framesReceived += s.framesReceived || 0;
        }
        if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
          const l = report.get(s.localCandidateId), r = report.get(s.remoteCandidateId);
          out.candidatePairs.push(`${l && l.candidateType}/${r && r.candidateType}`);
        }
      });
    }
    return out;
  };
})();
