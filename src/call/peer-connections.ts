// The call's media connections, one per remote peer: made through the SDK's
// `rtcPeerConnectionFactory`, each with its first-offer gate (offer-order.ts); which remote
// peer owns which (the SDK builds a connection before it files it under the peer, and
// replaces it on repair or after a socket reconnect); and the measured offer → answer time.
import { gateFirstOffer, openGate, type OfferGate } from './offer-order.js';

/** The part of the SDK's remote peer this needs. */
interface Owner {
  readonly id: string;
  readonly pc: unknown;
  readonly polite: boolean;
}

export interface PeerConnectionsOptions {
  onChange?: (peerId: string, pc: RTCPeerConnection, change: 'created' | 'closed') => void;
  /** Default until a round trip is measured. */
  defaultRttMs?: number;
  now?: () => number;
}

export class PeerConnections {
  /** Live connection per remote peer id. */
  readonly live = new Map<string, RTCPeerConnection>();
  private readonly gates = new WeakMap<RTCPeerConnection, OfferGate>();
  private rtt: number | null = null;
  /**
   * Set around a replacement: `offer` — ours, it offers at once (the remote has a connection
   * to answer with); `answer` — in answer to the remote's new connection, whose offer is on
   * its way: it must not offer too (that would glare), so its first offer is held.
   */
  private replacing: 'offer' | 'answer' | null = null;

  constructor(private readonly options: PeerConnectionsOptions = {}) {}

  /**
   * Wraps a new connection the SDK asked for. `owners` lists the SDK's remote peers; it is
   * read after the SDK has filed the connection under its peer (a microtask later).
   */
  adopt(pc: RTCPeerConnection, owners: () => readonly Owner[]): void {
    const gate =
      this.replacing === 'offer'
        ? openGate()
        : gateFirstOffer(pc, this.replacing === 'answer' ? () => true : () => owners().find(r => r.pc === pc)?.polite);
    this.gates.set(pc, gate);
    this.measureRtt(pc);
    queueMicrotask(() => {
      const owner = owners().find(r => r.pc === pc);
      // closed at once: a peer without a seat (max-peers) holds no connection
      if (owner && pc.signalingState !== 'closed') this.file(owner.id, pc);
    });
  }

  /** Runs `replace` (which makes one new connection) with the first-offer gate set for `role`. */
  replacingWith<T>(role: 'offer' | 'answer', replace: () => T): T {
    this.replacing = role;
    try {
      return replace();
    } finally {
      this.replacing = null;
    }
  }

  offerHeld(peerId: string): boolean {
    const pc = this.live.get(peerId);
    return !!pc && !!this.gates.get(pc)?.held;
  }

  releaseOffer(peerId: string): void {
    const pc = this.live.get(peerId);
    if (pc) this.gates.get(pc)?.release();
  }

  /** Measured offer → answer time (an average), or the default. */
  get rttMs(): number {
    return this.rtt ?? this.options.defaultRttMs ?? 500;
  }

  /** The peer left: its connection is gone. */
  forget(peerId: string): void {
    const pc = this.live.get(peerId);
    if (!pc) return;
    this.live.delete(peerId);
    this.options.onChange?.(peerId, pc, 'closed');
  }

  clear(): void {
    for (const id of [...this.live.keys()]) this.forget(id);
  }

  private file(peerId: string, pc: RTCPeerConnection): void {
    const old = this.live.get(peerId);
    if (old === pc) return;
    if (old) this.options.onChange?.(peerId, old, 'closed');
    this.live.set(peerId, pc);
    this.options.onChange?.(peerId, pc, 'created');
  }

  private measureRtt(pc: RTCPeerConnection): void {
    const now = this.options.now ?? (() => performance.now());
    let offeredAt: number | null = null;
    pc.addEventListener('signalingstatechange', () => {
      if (pc.signalingState === 'have-local-offer') offeredAt = now();
      else if (pc.signalingState === 'stable' && offeredAt !== null) {
        const sample = now() - offeredAt;
        this.rtt = this.rtt === null ? sample : this.rtt * 0.7 + sample * 0.3;
        offeredAt = null;
      } else offeredAt = null;
    });
  }
}
