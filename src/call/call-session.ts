// The call: owns the MeteredPeer, turns SDK events into element state (the call state,
// the tiles, the names) and into DOM events, and tears everything down again.
// One join attempt at a time; `leave()` cancels a join in flight.
import { MeteredPeer, type RemotePeer } from '@metered-ca/realtime';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MeteredCallError, toMeteredCallError, type MeteredCallErrorCode } from '../errors.js';
import { emit, type MeteredCallEventDetails, type MeteredCallEventName } from '../events.js';
import { introduceMessage, parsePeerMessage, SenderRateLimit, type PeerMessage } from '../protocol/messages.js';
import { newRecoveryCounters, type RecoveryCounters } from './connection-watchdog.js';
import { PeerRecovery } from './peer-recovery.js';
import { LocalMedia, type LocalMediaRequest, type MediaMode } from './local-media.js';
import { TokenSource, withTokenWatch, type MeteredCallTokenProvider } from './token.js';
import { loadIceServers, type IceServerSet } from './turn-credentials.js';
import { normalizeMaxPeers, Resilience, type ResilienceOptions } from './resilience.js';
import { Roster } from './roster.js';

/** `idle` → `joining` → `joined` ⇄ `reconnecting` → `left`; any failure → `error`. */
import type { CallState, RemoteTile } from '../types.js';
export type { CallState, RemoteTile };

export interface CallConfig {
  room: string;
  apiKey: string;
  name: string;
  serverUrl: string;
  turnUrl: string;
  turnApp: string;
  turnApiKey: string;
  /** The token path: `token-url`, or the `tokenProvider` property (wins); then `apiKey` is not used. */
  tokenUrl?: string;
  tokenProvider?: MeteredCallTokenProvider | null;
  /** `max-peers`: most participants in the room, this one included (default 6). */
  maxPeers?: number;
  /** `ice-transport-policy`: `relay` sends media only through TURN. Default `all`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Recovery tuning (the `resilience` property). */
  resilience?: ResilienceOptions;
  /** Media chosen before joining (the pre-join preview, device choices); default: ask for camera and microphone. */
  media?: LocalMediaRequest;
}

/** One remote participant as the element renders it. */

const JOIN_TIMEOUT_MS = 20_000;
/** Rejoins for a stalled connection to a plain SDK page, at most this many per window. */
const MAX_REJOINS = 3;
const REJOIN_WINDOW_MS = 60_000;
const NO_CONNECTIONS: ReadonlyMap<string, RTCPeerConnection> = new Map();

type Host = ReactiveControllerHost & HTMLElement;

export interface CallSessionOptions {
  /** Called synchronously on every state change (the element reflects it as an attribute). */
  onStateChange?: (state: CallState) => void;
  /** Every other message a participant sends, already validated by `parsePeerMessage` (rate-limited, not `introduce`). */
  onMessage?: (senderPeerId: string, message: PeerMessage) => void;
  /**
   * Roster changes for the element's own bookkeeping (announcements, state sync), called
   * beside the public `peer-joined` / `introduce` / `peer-left` events, which a page may
   * stop: internal work never depends on the public events.
   */
  onPeerJoined?: (peerId: string) => void;
  onIntroduce?: (peerId: string, username: string) => void;
  onPeerLeft?: (peerId: string) => void;
  /**
   * A media connection to one remote peer was created or closed (a repair replaces one
   * connection: `closed` for the old, `created` for the new). For the media side (encodings,
   * active speaker); `CallSession.connections` lists the live ones.
   */
  onConnection?: (peerId: string, pc: RTCPeerConnection, change: 'created' | 'closed') => void;
  /** Makes each media connection; default `new RTCPeerConnection(config)` (tests inject a wrapper). */
  createConnection?: (config: RTCConfiguration) => RTCPeerConnection;
}

export class CallSession implements ReactiveController {
  state: CallState = 'idle';
  /** The fatal error behind `state === 'error'`. */
  error: MeteredCallError | null = null;
  /** A non-fatal problem worth showing (media denied, a peer unreachable…). */
  notice: MeteredCallError | null = null;
  localPeerId: string | null = null;
  room: string | null = null;
  /** Seated peers (tiles), peers waiting for a seat, names (call/roster.ts). */
  private readonly roster = new Roster<RemotePeer>();

  private readonly media = new LocalMedia();
  private peer: MeteredPeer | null = null;
  /** Per-connection recovery of the current call (call/peer-recovery.ts). */
  private recoveryOf: PeerRecovery | null = null;
  /** The last call's counters, kept after it ends. */
  private lastCounters: RecoveryCounters = newRecoveryCounters();
  private rateLimit = new SenderRateLimit();
  private ice: IceServerSet | null = null;
  /** Signalling health, TURN renewal and the room cap of the current call (call/resilience.ts). */
  private resilience: Resilience | null = null;
  private tokens: TokenSource | null = null;
  private attempt: AbortController | null = null;
  private joining: Promise<void> | null = null;
  private leaving: Promise<void> | null = null;
  private myName = '';
  /** The current call's configuration (a rejoin reuses it). */
  private config: CallConfig | null = null;
  /** When recent rejoins happened (bounded by MAX_REJOINS per REJOIN_WINDOW_MS). */
  private rejoins: number[] = [];
  private rejoining = false;
  /** The SDK reports a terminal close as `error` then `left`; remember the first for the second. */
  private sdkError: unknown = null;

  constructor(
    private readonly host: Host,
    private readonly options: CallSessionOptions = {},
  ) {
    host.addController(this);
  }

  /** One tile per seated remote peer. */
  get tiles(): ReadonlyMap<string, RemoteTile> {
    return this.roster.tiles;
  }

  /** peerId → display name, cleaned (names may arrive before presence). */
  get names(): ReadonlyMap<string, string> {
    return this.roster.names;
  }

  get localStream(): MediaStream | null {
    return this.media.stream;
  }

  /** The SDK peer while in a call (for controls: replaceTrack, addTrack, send). */
  get sdkPeer(): MeteredPeer | null {
    return this.peer;
  }

  get mediaMode(): MediaMode {
    return this.media.mode;
  }

  /** ICE servers in use, kept for TURN renewal (`RTCPeerConnection.setConfiguration`). */
  get iceServers(): RTCIceServer[] | null {
    return this.ice?.iceServers ?? null;
  }

  /** What recovery did in the current (or last) call: repairs, restarts, replacements, held signals, rescues. */
  get recovery(): RecoveryCounters {
    return this.recoveryOf?.counters ?? this.lastCounters;
  }

  /** The live media connection to each remote peer (for the media side: senders, receivers). */
  get connections(): ReadonlyMap<string, RTCPeerConnection> {
    return this.recoveryOf?.connections.live ?? NO_CONNECTIONS;
  }

  hostDisconnected(): void {
    // The element may only be moving: decide once the current DOM operation is over.
    queueMicrotask(() => {
      if (!this.host.isConnected) void this.leave();
    });
  }

  /** Joins, or returns the join in progress; resolves at once when already in the call. */
  join(config: CallConfig): Promise<void> {
    if ((this.state === 'joined' || this.state === 'reconnecting') && !this.leaving) return Promise.resolve();
    if (!this.joining) {
      this.room = config.room; // the room we are in or on our way to, from now on
      const joining = this.runJoin(config).finally(() => {
        if (this.joining === joining) this.joining = null;
      });
      this.joining = joining;
    }
    return this.joining;
  }

  /** Leaves and tears down; resolves when tracks are stopped and connections closed. Idempotent. */
  leave(): Promise<void> {
    if (this.leaving) return this.leaving;
    if (!this.peer && !this.joining && !this.media.stream) {
      // nothing to tear down; an idle element stays idle, an errored one keeps its error
      if (this.state === 'joined' || this.state === 'reconnecting') this.setState('left');
      return Promise.resolve();
    }
    this.leaving = (async () => {
      this.attempt?.abort(new DOMException('leave() was called while joining', 'AbortError'));
      this.joining = null; // a join() after this leave() starts afresh
      await this.teardown();
      this.error = null;
      this.setState('left');
      this.fire('left', {});
    })().finally(() => {
      this.leaving = null;
    });
    return this.leaving;
  }

  /** Changes our display name; re-introduces us when in a call. */
  setName(name: string): void {
    this.myName = name;
    if (this.state === 'joined') this.introduce();
  }

  private async runJoin(config: CallConfig): Promise<void> {
    if (this.leaving) await this.leaving;
    const attempt = new AbortController();
    this.attempt = attempt;
    const { signal } = attempt;
    this.error = null;
    this.notice = null;
    this.sdkError = null;
    this.myName = config.name;
    this.room = config.room;
    this.config = config;
    this.rejoins = [];
    this.setState('joining');
    try {
      validate(config);
      // the token path: the first token now (a failure is `token-failed`), the rest on demand
      const tokens = TokenSource.wanted(config) ? new TokenSource(config) : null;
      this.tokens = tokens;
      const [ice, media] = await Promise.all([
        loadIceServers({ turnUrl: config.turnUrl, turnApp: config.turnApp, turnApiKey: config.turnApiKey }, signal),
        // the self-view shows as soon as the camera is on, not when the join is done
        this.media.acquire(signal, config.media).then(media => (this.host.requestUpdate(), media)),
        tokens?.prime(signal),
      ]);
      signal.throwIfAborted();
      this.ice = ice;
      this.resilience = new Resilience(
        {
          room: config.room,
          maxPeers: normalizeMaxPeers(config.maxPeers),
          iceTransportPolicy: config.iceTransportPolicy === 'relay' ? 'relay' : 'all',
          turn: { turnUrl: config.turnUrl, turnApp: config.turnApp, turnApiKey: config.turnApiKey },
          options: config.resilience ?? {},
        },
        ice,
        { onTerminal: this.endCall, onNotice: this.onResilienceNotice },
      );
      const resilience = this.resilience;
      this.roster.configure(normalizeMaxPeers(config.maxPeers), () => resilience.refused);
      if (media.notice) this.report(media.notice);

      const peer = await this.connectPeer(config, signal, { checkRoom: true });
      this.localPeerId = peer.peerId;
      this.setState('joined');
      this.fire('joined', { peerId: peer.peerId ?? '', room: config.room });
      this.introduce();
    } catch (err) {
      if (signal.aborted) throw signal.reason; // leave() owns the teardown
      // the join's own rejection carries the close code and reason; the SDK's error event only a name
      const closed = typeof (err as { closeCode?: unknown })?.closeCode === 'number';
      const error = toMeteredCallError(closed || !this.sdkError ? err : this.sdkError, { room: config.room });
      await this.teardown();
      this.fail(error);
      throw error;
    } finally {
      if (this.attempt === attempt) this.attempt = null;
    }
  }

  /**
   * Rejoins the room with a new MeteredPeer (so a new peer id): the one repair for a stalled
   * connection to a plain SDK page, which never builds a new connection for a peer it knows
   * and answers a fresh one of ours on the old one (docs/reliability.md). Bounded to
   * MAX_REJOINS per REJOIN_WINDOW_MS; `false` when not now.
   */
  private rejoinFor(peerId: string, why: string): boolean {
    const now = Date.now();
    this.rejoins = this.rejoins.filter(t => now - t < REJOIN_WINDOW_MS);
    const config = this.config;
    if (this.state !== 'joined' || this.rejoining || !this.peer || !config || this.rejoins.length >= MAX_REJOINS) return false;
    this.rejoins.push(now);
    this.rejoining = true;
    console.debug(`<metered-call> rejoining the room: the connection to plain page ${peerId} is stalled (${why})`);
    // after the watchdog's round: the rejoin stops it
    queueMicrotask(() => void this.runRejoin(config));
    return true;
  }

  private async runRejoin(config: CallConfig): Promise<void> {
    const attempt = new AbortController();
    this.attempt = attempt;
    this.setState('reconnecting');
    try {
      await this.dropPeer();
      const peer = await this.connectPeer(config, attempt.signal, { keepCounters: true });
      this.localPeerId = peer.peerId;
      this.setState('joined');
      this.fire('joined', { peerId: peer.peerId ?? '', room: config.room });
      this.introduce();
    } catch (err) {
      if (attempt.signal.aborted) return; // leave() owns the teardown
      const error = toMeteredCallError(err, { room: config.room });
      await this.teardown();
      this.fail(error);
    } finally {
      this.rejoining = false;
      if (this.attempt === attempt) this.attempt = null;
    }
  }

  /** Closes the current MeteredPeer quietly (media and TURN stay); every remote tile goes, with `peer-left`. */
  private async dropPeer(): Promise<void> {
    if (this.recoveryOf) this.lastCounters = this.recoveryOf.counters;
    this.recoveryOf?.stop();
    this.recoveryOf = null;
    const peer = this.peer;
    this.peer = null;
    if (!peer) return;
    peer.removeAllListeners();
    for (const peerId of [...this.roster.tiles.keys()]) {
      this.roster.remove(peerId);
      this.rateLimit.forget(peerId);
      this.options.onPeerLeft?.(peerId);
      this.fire('peer-left', { peerId });
    }
    this.roster.clear();
    this.host.requestUpdate();
    await peer.close().catch(() => {});
  }

  /** A MeteredPeer with our media, joined to the room (`keepCounters`: a rejoin counts on). */
  private async connectPeer(config: CallConfig, signal: AbortSignal, { checkRoom = false, keepCounters = false } = {}): Promise<MeteredPeer> {
    const peer = this.createPeer(config, this.ice?.iceServers ?? [], keepCounters ? this.lastCounters : undefined);
    const stream = this.media.stream;
    if (stream) peer.addStream(stream, { role: 'camera' });
    await raceAbort(withTimeout(peer.join(config.room), JOIN_TIMEOUT_MS), signal);
    if (this.resilience) {
      // max-peers: the room's presence snapshot says how many are already in
      if (checkRoom) await raceAbort(this.resilience.checkRoom(), signal);
      this.resilience.start(peer);
    }
    return peer;
  }

  /** SDK options: Resilience's (socket watcher, reconnect backoff), with signals before presence kept. */
  private peerOptions(room: string, recovery: PeerRecovery): ReturnType<Resilience['peerOptions']> {
    const options = this.resilience?.peerOptions() ?? {};
    const early = recovery.earlySignals(room);
    const create = options.webSocketFactory ?? ((url: string) => new WebSocket(url));
    return {
      ...options,
      webSocketFactory: url => {
        const ws = create(url);
        early.attach(ws as unknown as EventTarget); // a browser WebSocket: the SDK's factory default
        return ws;
      },
    };
  }

  private createConnection(config: RTCConfiguration): RTCPeerConnection {
    return this.options.createConnection ? this.options.createConnection(config) : new RTCPeerConnection(config);
  }

  private createPeer(config: CallConfig, iceServers: RTCIceServer[], counters?: RecoveryCounters): MeteredPeer {
    let peer: MeteredPeer;
    const recovery = new PeerRecovery(
      {
        onReplaced: peerId => {
          const tile = this.roster.tiles.get(peerId);
          if (tile && tile.connection !== 'unreachable') tile.connection = 'reconnecting';
          this.host.requestUpdate();
        },
        onUnreachable: peerId => {
          const tile = this.roster.tiles.get(peerId);
          if (tile) tile.connection = 'unreachable';
          this.report(new MeteredCallError('peer-unreachable', { detail: peerId }));
        },
        onConnection: (peerId, pc, change) => this.options.onConnection?.(peerId, pc, change),
        onRejoin: (peerId, why) => this.rejoinFor(peerId, why),
      },
      counters ? { counters } : {},
    );
    try {
      peer = new MeteredPeer({
        ...(this.tokens ? { tokenProvider: this.tokens.provider } : { apiKey: config.apiKey }),
        ...(config.serverUrl ? { url: config.serverUrl } : {}),
        ...withTokenWatch(this.peerOptions(config.room, recovery), this.tokens),
        rtcPeerConnectionFactory: cfg => {
          // without TURN of our own, use what the SDK has (a token's metadata.iceServers)
          const fromSdk = this.ice?.source === null && cfg.iceServers?.length ? cfg.iceServers : null;
          // the current (renewed) TURN credentials and the transport policy
          const own = this.resilience?.connectionConfig();
          const pc = this.createConnection({ ...cfg, ...own, iceServers: fromSdk ?? own?.iceServers ?? iceServers });
          recovery.adopt(pc);
          return pc;
        },
      });
    } catch (err) {
      // the SDK validates `url` in its constructor
      throw new MeteredCallError('invalid-config', { detail: `server-url: ${(err as Error).message}` }, { cause: err });
    }
    this.peer = peer;
    recovery.bind(peer);
    this.recoveryOf = recovery;
    peer.on('state-change', this.onPeerState);
    peer.on('peer-joined', this.onPeerJoined);
    peer.on('peer-left', this.onPeerLeft);
    peer.on('data', this.onData);
    peer.on('error', this.onSdkError);
    peer.on('left', this.onSdkLeft);
    return peer;
  }

  private readonly onPeerState = ({ to }: { to: string }) => {
    if (to === 'reconnecting' && this.state === 'joined') this.setState('reconnecting');
    else if (to === 'joined' && this.state === 'reconnecting') {
      this.localPeerId = this.peer?.peerId ?? this.localPeerId;
      this.setState('joined');
      this.introduce();
    }
  };

  private readonly onPeerJoined = ({ peer: remote }: { peer: RemotePeer }) => this.seat(remote, false);

  /** Gives `remote` a tile and a media connection, or puts it on the waiting list with neither. */
  private seat(remote: RemotePeer, promoted: boolean): void {
    const tile = this.roster.seat(remote);
    if (!tile) {
      // max-peers: no tile and no media connection (it sees the same snapshot and leaves,
      // or waits for a seat); the SDK made one with our tracks already: close it unused
      (remote.pc as RTCPeerConnection).close();
      return;
    }
    // a waiting peer's connection was closed: a fresh one now that it has a seat
    if (promoted) this.recoveryOf?.replace(remote.id);
    // the camera stream is the first one seen (or one marked `camera`); a stream marked
    // `screen`, or any other stream id, is their shared screen (metadata is hostile: only compared)
    let cameraId: string | null = null;
    const show = (stream: MediaStream, role: unknown) => {
      if (role === 'camera' || (role !== 'screen' && (cameraId === null || cameraId === stream.id))) {
        cameraId = stream.id;
        tile.stream = stream;
      } else tile.screen = stream;
      this.watchTracks(stream);
      this.host.requestUpdate();
    };
    remote.on('track', ({ track, streams, metadata }) => {
      const stream = streams[0];
      if (stream) show(stream, metadata?.role);
      else if (!tile.stream) show(new MediaStream([track]), 'camera');
    });
    remote.on('stream-added', ({ stream, metadata }) => show(stream, metadata?.role));
    remote.on('stream-removed', ({ stream }) => {
      if (tile.stream === stream) tile.stream = null;
      if (tile.screen === stream) tile.screen = null;
      this.host.requestUpdate();
    });
    remote.on('state-change', ({ to }) => {
      if (to === 'connected') tile.connection = 'connected';
      else if (to === 'reconnecting') tile.connection = 'reconnecting';
      this.host.requestUpdate();
    });
    this.recoveryOf?.watch(remote);
    this.host.requestUpdate();
    this.options.onPeerJoined?.(remote.id);
    this.fire('peer-joined', { peerId: remote.id });
    // late joiners learn our name only if we say it again (the tutorial's pitfall)
    if (this.state === 'joined') this.introduce();
  }

  private readonly onPeerLeft = ({ peer: remote }: { peer: RemotePeer }) => {
    this.recoveryOf?.peerLeft(remote.id);
    if (!this.roster.remove(remote.id)) return; // never shown
    this.rateLimit.forget(remote.id);
    this.host.requestUpdate();
    this.options.onPeerLeft?.(remote.id);
    this.fire('peer-left', { peerId: remote.id });
    const next = this.roster.nextWaiting();
    if (next) this.seat(next, true);
  };

  /** The call cannot go on (a 4011 close, a token refused as expired on reconnect): end it without reconnecting. */
  private readonly endCall = (error: MeteredCallError) => {
    if (this.state !== 'joined' && this.state !== 'reconnecting') return; // a join reports its own failure
    void this.teardown().then(() => this.fail(error));
  };

  /** TURN renewal trouble (a notice), or `null` once renewal works again. */
  private readonly onResilienceNotice = (error: MeteredCallError | null) => {
    if (error) this.report(error);
    else if (this.notice?.code === 'turn-renewal-failed') {
      this.notice = null;
      this.host.requestUpdate();
    }
  };

  private readonly onData = ({ senderPeerId, data }: { senderPeerId: string; data: unknown }) => {
    if (typeof senderPeerId !== 'string' || senderPeerId === this.localPeerId) return;
    if (!this.rateLimit.allow(senderPeerId)) return;
    // one validating parser for every message (protocol/messages.ts): whatever it does not
    // accept — non-objects, unknown types, malformed fields — goes no further
    const message = parsePeerMessage(data);
    if (!message) {
      // a page of the site's own may send messages of its own: say why this one went no further
      console.debug(`<metered-call> ignored a message from ${senderPeerId}: not a message this element understands`);
      return;
    }
    // any message but `introduce` (the tutorial page sends that too): the sender is an element
    if (message.type !== 'introduce') this.recoveryOf?.elementSeen(senderPeerId);
    if (message.type === 'state') this.recoveryOf?.peerState(senderPeerId, message);
    if (message.type !== 'introduce') {
      this.options.onMessage?.(senderPeerId, message);
      return;
    }
    if (!this.roster.setName(senderPeerId, message.username)) return;
    this.host.requestUpdate();
    this.options.onIntroduce?.(senderPeerId, message.username);
    this.fire('introduce', { peerId: senderPeerId, username: message.username });
  };

  private readonly onSdkError = ({ err }: { err: Error }) => {
    this.sdkError ??= err;
    // during a join, join()'s rejection reports it; a terminal close reports it with `left`
    if (this.state !== 'joined' && this.state !== 'reconnecting') return;
    const error = toMeteredCallError(err, { room: this.room ?? '' });
    if (!error.fatal) this.report(error);
  };

  private readonly onSdkLeft = ({ reason }: { reason?: string }) => {
    // our own close() detaches this listener first, so this is the SDK giving up
    if (this.state !== 'joined' && this.state !== 'reconnecting') return;
    const error = this.sdkError
      ? toMeteredCallError(this.sdkError, { room: this.room ?? '' })
      : new MeteredCallError('connection-lost', { detail: reason });
    void this.teardown().then(() => this.fail(error));
  };

  private introduce(): void {
    const peer = this.peer;
    if (!peer || peer.state !== 'joined') return;
    peer.send(introduceMessage(this.myName)).catch((err: unknown) => {
      // a refused publish means the key lacks a permission: say so, once
      const error = toMeteredCallError(err, { room: this.room ?? '' });
      if (error.code !== 'unknown') this.report(error);
    });
  }

  /** Re-render when remote tracks start or stop delivering (avatar ⇄ video). */
  private watchTracks(stream: MediaStream): void {
    for (const track of stream.getTracks()) {
      const t = track as MediaStreamTrack & { __meteredCallWatched?: true };
      if (t.__meteredCallWatched) continue;
      t.__meteredCallWatched = true;
      const update = () => this.host.requestUpdate();
      track.addEventListener('mute', update);
      track.addEventListener('unmute', update);
      track.addEventListener('ended', update);
    }
  }

  private async teardown(): Promise<void> {
    this.resilience?.stop();
    this.resilience = null;
    if (this.recoveryOf) this.lastCounters = this.recoveryOf.counters;
    this.recoveryOf?.stop();
    this.recoveryOf = null;
    const peer = this.peer;
    this.peer = null;
    if (peer) {
      peer.removeAllListeners(); // no peer-left storm for our own departure
      await peer.close().catch(() => {});
    }
    this.media.stop();
    this.tokens?.stop();
    this.tokens = null;
    this.roster.clear();
    this.rateLimit = new SenderRateLimit();
    this.localPeerId = null;
    this.ice = null;
    this.host.requestUpdate();
  }

  private fail(error: MeteredCallError): void {
    this.error = error;
    this.setState('error');
    console.error(`<metered-call> ${error.code}: ${error.message}`);
    this.fire('error', error.toDetail());
  }

  /** A non-fatal problem: shown as a notice, announced as an `error` event with `fatal: false`. */
  private report(error: MeteredCallError): void {
    this.notice = error;
    this.host.requestUpdate();
    console.warn(`<metered-call> ${error.code}: ${error.message}`);
    this.fire('error', error.toDetail());
  }

  private setState(state: CallState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
    this.host.requestUpdate();
  }

  private fire<K extends MeteredCallEventName>(type: K, detail: MeteredCallEventDetails[K]): void {
    emit(this.host, type, detail);
  }
}

function validate(config: CallConfig): void {
  const missing: string[] = [];
  if (!config.room.trim()) missing.push('room');
  if (!config.apiKey.trim() && !TokenSource.wanted(config)) missing.push('api-key (or token-url)');
  if (missing.length) {
    throw new MeteredCallError('invalid-config', { detail: `missing ${missing.join(' and ')}` });
  }
  if (config.turnApp && !config.turnUrl && !/^[a-z0-9-]{1,63}$/i.test(config.turnApp)) {
    throw new MeteredCallError('invalid-config', { detail: 'turn-app must be the TURN app name (letters, digits, dashes)' });
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MeteredCallError('join-timeout', { detail: `not joined after ${ms / 1000} s` })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export type { MeteredCallErrorCode };
