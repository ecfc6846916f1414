// FAKE WebRTC for running the unmodified SDK in Node 20 (which has no RTCPeerConnection).
// It moves no media: it only plays the signalling side of a peer connection — offers and
// answers whose "SDP" lists the sender's tracks, a few trickled candidates ending with
// null — and reports "connected" plus a `track` per remote track once it holds the remote
// description, at least one remote candidate and the end-of-candidates marker. That is
// what proves the server relays SDP and ICE intact and in order. Real media is covered
// by the browser tests.

let nextId = 0;

export class FakeMediaStreamTrack extends EventTarget {
  readonly id: string;
  readonly label: string;
  readyState: 'live' | 'ended' = 'live';
  enabled = true;
  constructor(readonly kind: 'audio' | 'video', id?: string) {
    super();
    this.id = id ?? `fake-${kind}-${++nextId}`;
    this.label = this.id;
  }
  stop(): void {
    this.readyState = 'ended';
  }
}

export class FakeMediaStream extends EventTarget {
  readonly id: string;
  constructor(
    private readonly tracks: FakeMediaStreamTrack[],
    id?: string,
  ) {
    super();
    this.id = id ?? `fake-stream-${++nextId}`;
  }
  getTracks(): FakeMediaStreamTrack[] {
    return [...this.tracks];
  }
  getAudioTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeMediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }
}

interface Description {
  type: 'offer' | 'answer' | 'rollback';
  sdp: string;
}

interface Sender {
  track: FakeMediaStreamTrack | null;
  streamId: string | undefined;
  replaceTrack(t: FakeMediaStreamTrack | null): Promise<void>;
}

/** Every fake connection created, for assertions. */
export const fakeConnections: FakeRTCPeerConnection[] = [];

export class FakeRTCPeerConnection extends EventTarget {
  signalingState: 'stable' | 'have-local-offer' | 'have-remote-offer' | 'closed' = 'stable';
  connectionState: 'new' | 'connecting' | 'connected' | 'closed' = 'new';
  iceConnectionState: 'new' | 'checking' | 'connected' | 'closed' = 'new';
  localDescription: Description | null = null;
  remoteDescription: Description | null = null;
  readonly remoteCandidates: unknown[] = [];
  remoteEndOfCandidates = false;
  readonly receivedTracks: FakeMediaStreamTrack[] = [];
  private readonly senders: Sender[] = [];
  private negotiationQueued = false;
  private gathered = false;
  readonly name = `pc${++nextId}`;

  constructor(readonly config: unknown) {
    super();
    fakeConnections.push(this);
  }

  addTrack(track: FakeMediaStreamTrack, ...streams: FakeMediaStream[]): Sender {
    const sender: Sender = {
      track,
      streamId: streams[0]?.id,
      replaceTrack: async (t) => {
        sender.track = t;
      },
    };
    this.senders.push(sender);
    this.queueNegotiation();
    return sender;
  }

  removeTrack(sender: Sender): void {
    const i = this.senders.indexOf(sender);
    if (i >= 0) this.senders.splice(i, 1);
    this.queueNegotiation();
  }

  getSenders(): Sender[] {
    return [...this.senders];
  }

  setConfiguration(): void {}

  restartIce(): void {
    this.queueNegotiation();
  }

  async createOffer(): Promise<Description> {
    return { type: 'offer', sdp: this.sdp() };
  }

  async createAnswer(): Promise<Description> {
    return { type: 'answer', sdp: this.sdp() };
  }

  async setLocalDescription(desc: Description): Promise<void> {
    if (this.signalingState === 'closed') throw new Error('closed');
    this.localDescription = desc;
    this.signalingState = desc.type === 'offer' ? 'have-local-offer' : 'stable';
    this.gather();
    this.maybeConnect();
  }

  async setRemoteDescription(desc: Description): Promise<void> {
    if (this.signalingState === 'closed') throw new Error('closed');
    if (!desc.sdp.startsWith('v=0')) throw new Error(`fake: not an SDP: ${desc.sdp.slice(0, 20)}`);
    // An offer in have-local-offer is an implicit rollback (perfect negotiation, polite side).
    this.remoteDescription = desc;
    this.signalingState = desc.type === 'offer' ? 'have-remote-offer' : 'stable';
    this.maybeConnect();
  }

  async addIceCandidate(candidate?: { candidate: string } | null): Promise<void> {
    if (candidate === undefined || candidate === null) this.remoteEndOfCandidates = true;
    else this.remoteCandidates.push(candidate);
    this.maybeConnect();
  }

  close(): void {
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
  }

  private sdp(): string {
    const lines = this.senders.map((s) => `m=${s.track?.kind ?? 'audio'} 9 UDP/TLS/RTP/SAVPF 0\r\na=msid:${s.streamId ?? '-'} ${s.track?.id ?? '-'}\r\n`);
    return `v=0\r\no=- ${this.name} 2 IN IP4 127.0.0.1\r\ns=-\r\n${lines.join('')}`;
  }

  private queueNegotiation(): void {
    if (this.negotiationQueued) return;
    this.negotiationQueued = true;
    // on a later turn, as a browser fires it
    setImmediate(() => {
      this.negotiationQueued = false;
      if (this.signalingState !== 'closed') this.dispatchEvent(new Event('negotiationneeded'));
    });
  }

  /** Two host candidates, then the end-of-candidates marker, like a loopback-only browser. */
  private gather(): void {
    if (this.gathered) return;
    this.gathered = true;
    const candidates = [1, 2].map((n) => {
      const init = { candidate: `candidate:${n} 1 udp 2122260223 127.0.0.1 ${50000 + n} typ host`, sdpMid: '0', sdpMLineIndex: 0, usernameFragment: this.name };
      return { ...init, toJSON: () => init };
    });
    setImmediate(() => {
      for (const c of [...candidates, null]) {
        if (this.signalingState === 'closed') return;
        this.dispatchEvent(Object.assign(new Event('icecandidate'), { candidate: c }));
      }
    });
  }

  private maybeConnect(): void {
    if (this.connectionState !== 'new' || this.signalingState !== 'stable') return;
    if (!this.localDescription || !this.remoteDescription) return;
    if (this.remoteCandidates.length === 0 || !this.remoteEndOfCandidates) return;
    this.connectionState = 'connected';
    this.iceConnectionState = 'connected';
    this.dispatchEvent(new Event('iceconnectionstatechange'));
    this.dispatchEvent(new Event('connectionstatechange'));
    const streams = new Map<string, FakeMediaStream>();
    for (const m of this.remoteDescription.sdp.matchAll(/m=(audio|video)[^\n]*\na=msid:(\S+) (\S+)/g)) {
      const track = new FakeMediaStreamTrack(m[1] as 'audio' | 'video', m[3]);
      const streamId = m[2] ?? '-';
      if (!streams.has(streamId)) streams.set(streamId, new FakeMediaStream([], streamId));
      this.receivedTracks.push(track);
      this.dispatchEvent(Object.assign(new Event('track'), { track, streams: [streams.get(streamId)], receiver: {}, transceiver: {} }));
    }
  }
}

export const fakeRtcPeerConnectionFactory = (config: unknown): FakeRTCPeerConnection => new FakeRTCPeerConnection(config);
