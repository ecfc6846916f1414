// Per-connection recovery for one call, in one place: the connections (peer-connections.ts),
// the watchdog that judges them (connection-watchdog.ts), the repairs it may make (an ICE
// restart, a fresh connection to one peer, a held offer sent), signals kept until presence
// (early-signals.ts), and the counters of what it did. The session makes one per call and
// tells it what happens in the room; it asks the session to rejoin the room only for a
// stalled connection to a plain SDK page (see connection-watchdog.ts).
import type { MeteredPeer, RemotePeer } from '@metered-ca/realtime';
import { fingerprintOf } from './connection-health.js';
import { ConnectionWatchdog, newRecoveryCounters, type Clock, type RecoveryCounters } from './connection-watchdog.js';
import { EarlySignals } from './early-signals.js';
import { PeerConnections } from './peer-connections.js';

export interface PeerRecoveryHooks {
  /** The connection to `peerId` was replaced by a fresh one (its tile shows `reconnecting`). */
  onReplaced(peerId: string): void;
  /** Repairs keep failing for `peerId` (once, until it connects). */
  onUnreachable(peerId: string): void;
  /**
   * The connection to plain SDK page `peerId` is stalled beyond an ICE restart: rejoin the
   * room (the page then builds a fresh connection to our new peer id). `false` if not now.
   */
  onRejoin?(peerId: string, why: string): boolean;
  /** A connection to one peer was created or closed. */
  onConnection?(peerId: string, pc: RTCPeerConnection, change: 'created' | 'closed'): void;
}

export interface PeerRecoveryOptions {
  clock?: Clock;
  /** Counters to go on with (a rejoin keeps counting where the call was). */
  counters?: RecoveryCounters;
  log?: (line: string) => void;
}

/** The SDK's per-peer connection swap: what it does for each peer after a socket reconnect (not in its typings). */
type Swappable = { swapPeerConnection?: (remote: RemotePeer) => void };

/**
 * How long after a peer's presence it may stay silent before it counts as a plain SDK page:
 * every element says `state` within about half a second of joining or of seeing a newcomer;
 * a loaded machine gets a margin. Until then the watchdog does not act on its connection.
 */
export const PLAIN_AFTER_MS = 3000;

export class PeerRecovery {
  readonly counters: RecoveryCounters;
  readonly connections: PeerConnections;
  private readonly watchdog: ConnectionWatchdog;
  /**
   * Remote peers known to be elements: they sent a message only an element sends (any valid
   * peer message but `introduce`, which the tutorial page sends too; every element sends
   * `state` on joining and to each newcomer). Every other peer is a plain SDK page.
   */
  private readonly elementPeers = new Set<string>();
  /** When each watched peer was seated (its presence), for PLAIN_AFTER_MS. */
  private readonly seatedAt = new Map<string, number>();
  private readonly now: () => number;
  private peer: MeteredPeer | null = null;

  constructor(
    private readonly hooks: PeerRecoveryHooks,
    options: PeerRecoveryOptions = {},
  ) {
    this.counters = options.counters ?? newRecoveryCounters();
    this.now = options.clock ? () => options.clock!.now() : () => Date.now();
    this.connections = new PeerConnections({ onChange: (id, pc, change) => hooks.onConnection?.(id, pc, change) });
    this.watchdog = new ConnectionWatchdog(
      {
        // one side repairs: between two elements the impolite one (it offers); against a
        // plain SDK page always us (it never repairs)
        repairsFor: peerId => this.remote(peerId)?.polite === false || !this.elementPeers.has(peerId),
        offerHeld: peerId => this.connections.offerHeld(peerId),
        releaseOffer: peerId => this.connections.releaseOffer(peerId),
        restartIce: peerId => this.connections.live.get(peerId)?.restartIce(),
        replace: peerId => this.replace(peerId),
        unreachable: peerId => hooks.onUnreachable(peerId),
        signallingRttMs: () => this.connections.rttMs,
        isPlain: peerId => this.kindOf(peerId) === 'plain',
        undecided: peerId => this.kindOf(peerId) === 'undecided',
        rejoin: (peerId, why) => hooks.onRejoin?.(peerId, why) ?? false,
      },
      { counters: this.counters, ...(options.clock ? { clock: options.clock } : {}), ...(options.log ? { log: options.log } : {}) },
    );
  }

  /** The call's SDK peer, once made (the connections it makes are adopted before). */
  bind(peer: MeteredPeer): void {
    this.peer = peer;
  }

  /** For the SDK's `rtcPeerConnectionFactory`: every new connection passes here. */
  adopt(pc: RTCPeerConnection): void {
    this.connections.adopt(pc, () => this.peer?.remotePeers ?? []);
  }

  /** Keeps signals that come before presence, on each socket the SDK opens. */
  earlySignals(room: string): EarlySignals {
    return new EarlySignals({
      room,
      onHeld: () => this.counters.heldSignals++,
      onDirect: (from, data) => this.onDirect(from, data),
    });
  }

  /** A seated peer: watch its connection. */
  watch(remote: RemotePeer): void {
    if (!this.seatedAt.has(remote.id)) this.seatedAt.set(remote.id, this.now());
    this.watchdog.watch({
      id: remote.id,
      get pc() {
        return remote.pc as RTCPeerConnection;
      },
    });
  }

  peerLeft(peerId: string): void {
    this.watchdog.unwatch(peerId);
    this.connections.forget(peerId);
    this.elementPeers.delete(peerId);
    this.seatedAt.delete(peerId);
  }

  /** An element (it sent an element-only message), a plain SDK page (silent for PLAIN_AFTER_MS), or not yet known. */
  private kindOf(peerId: string): 'element' | 'plain' | 'undecided' {
    if (this.elementPeers.has(peerId)) return 'element';
    const seated = this.seatedAt.get(peerId);
    return seated !== undefined && this.now() - seated < PLAIN_AFTER_MS ? 'undecided' : 'plain';
  }

  /** A valid message only an element sends (anything but `introduce`): `peerId` is an element. */
  elementSeen(peerId: string): void {
    this.elementPeers.add(peerId);
  }

  /** A `state` message: one that sends nothing will not offer, so we do. */
  peerState(peerId: string, state: { audio: boolean; video: boolean; screen: boolean }): void {
    this.elementPeers.add(peerId);
    if (!state.audio && !state.video && !state.screen) this.connections.releaseOffer(peerId);
  }

  /**
   * A fresh connection to one peer, in place of a stuck (or never used) one. It offers; the
   * other element answers with a fresh connection too (see `onDirect`), a plain SDK page
   * with the one it has, as after our reconnect. `false` if it could not be made.
   */
  replace(peerId: string, role: 'offer' | 'answer' = 'offer'): boolean {
    const peer = this.peer as unknown as Swappable | null;
    const remote = this.remote(peerId);
    if (!peer || !remote || remote.state === 'closed' || typeof peer.swapPeerConnection !== 'function') return false;
    try {
      this.connections.replacingWith(role, () => peer.swapPeerConnection!(remote));
    } catch {
      return false;
    }
    this.hooks.onReplaced(peerId);
    return true;
  }

  stop(): void {
    this.watchdog.stop();
    this.connections.clear();
    this.elementPeers.clear();
    this.seatedAt.clear();
    this.peer = null;
  }

  private remote(peerId: string): RemotePeer | undefined {
    return this.peer?.remotePeers.find(r => r.id === peerId);
  }

  /**
   * Every direct frame from a known peer, before the SDK handles it. An offer made by a new
   * connection (a new DTLS fingerprint: the other side replaced its connection to us) is
   * answered by a new connection of ours: the stuck one may be ours.
   */
  private onDirect(from: string, data: unknown): void {
    const d = data as { type?: unknown; description?: { type?: unknown; sdp?: unknown } } | null;
    if (d?.type !== 'rtc-description' || d.description?.type !== 'offer' || typeof d.description.sdp !== 'string') return;
    const before = fingerprintOf((this.remote(from)?.pc as RTCPeerConnection | undefined)?.remoteDescription?.sdp);
    const offered = fingerprintOf(d.description.sdp);
    if (!before || !offered || before === offered) return;
    // the offer is delivered to the new connection right after this (same frame): it answers
    if (this.replace(from, 'answer')) this.counters.replacements++;
  }
}
