// Every join connects, and recovery touches one connection only.
//
// Why a watchdog at all: measured with the plain SDK page on this machine, about one
// two-party join in twenty-five never gets media. From traces of every stalled join: after
// an offer collision one side's ICE agent reports "gathering" forever and never yields a
// candidate; with no candidate on one side no check is ever sent, ICE stays "new", never
// reaches "failed" — and the SDK's ICE-restart ladder only starts on "failed". ICE restarts
// do not revive that agent; a fresh RTCPeerConnection does.
//
// What it does: every `tickMs` it samples each watched connection (connection-health.ts
// turns the sample into ok | slow | stalled) and repairs a stalled one alone:
// - a held first offer that no offer answered: release it (offer ourselves);
// - otherwise, from ONE side only (the session says which: the impolite side between two
//   elements, always us against a plain SDK page, which never repairs): an ICE restart
//   first, then a fresh connection to that one peer. An unanswered offer or a side that
//   gathered nothing goes straight to a fresh connection (a restart cannot help those).
// One exception, for a plain SDK page (the tutorial's code: it never sent an element-only
// message): it never builds a new connection for a peer it knows and answers a fresh
// connection of ours on the one it has (seen: DTLS never finishing, or our offer never
// answered). So a stalled connection to a plain page is never replaced: it is judged on the
// fast rule (PLAIN_PEER_POLICY), gets one ICE restart on the same connection where a restart
// can help, and otherwise the session rejoins the room (a new peer id: the plain page then
// builds a fresh connection to us). Otherwise nothing here leaves the room: rejoining is the
// SDK's, when the socket itself is lost.
import {
  assessConnection,
  countCandidates,
  DEFAULT_HEALTH_POLICY,
  isGatherStall,
  PLAIN_PEER_POLICY,
  type Assessment,
  type ConnectionFacts,
  type HealthPolicy,
} from './connection-health.js';

/** What the watchdog reads of a connection (an RTCPeerConnection; a fake in unit tests). */
export type ObservedConnection = Pick<
  RTCPeerConnection,
  'signalingState' | 'iceGatheringState' | 'iceConnectionState' | 'connectionState' | 'localDescription' | 'remoteDescription' | 'getTransceivers'
>;

/** A remote peer as the watchdog sees it: its id and its current connection (replaced on repair). */
export interface WatchedPeer {
  readonly id: string;
  readonly pc: ObservedConnection;
}

/** What recovery did during this call (read by tests and the bench). */
export interface RecoveryCounters {
  /** Stalled connections acted on (each restart, replacement or released offer is one). */
  repairs: number;
  /** ICE restarts we started. */
  restarts: number;
  /** Connections to one peer rebuilt from scratch (ours, or ours in answer to theirs). */
  replacements: number;
  /** Held first offers sent after all because no offer came. */
  releasedOffers: number;
  /** Signals from a sender not yet announced by presence, held and replayed (early-signals.ts). */
  heldSignals: number;
  /** Whole-call rejoins we made: only for a stalled connection to a plain SDK page (0 between elements). */
  rescues: number;
}

export const newRecoveryCounters = (): RecoveryCounters => ({
  repairs: 0,
  restarts: 0,
  replacements: 0,
  releasedOffers: 0,
  heldSignals: 0,
  rescues: 0,
});

export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: handle => clearInterval(handle as ReturnType<typeof setInterval>),
};

export interface RepairActions {
  /** Whether this side repairs the connection to `peerId` (the other side otherwise). */
  repairsFor(peerId: string): boolean;
  /** Our first offer to `peerId` is held, waiting for theirs (offer-order.ts). */
  offerHeld(peerId: string): boolean;
  releaseOffer(peerId: string): void;
  restartIce(peerId: string): void;
  /** Replaces the connection to `peerId` with a fresh one; false if it could not. */
  replace(peerId: string): boolean;
  /** After `reportAfter` repairs without success (once per peer until it connects). */
  unreachable(peerId: string): void;
  /** Measured offer → answer time on this call. */
  signallingRttMs(): number;
  /** `peerId` is a plain SDK page: never replace its connection (default: no peer is). */
  isPlain?(peerId: string): boolean;
  /** Not yet known whether `peerId` is an element or a plain page: judge, but do not act yet. */
  undecided?(peerId: string): boolean;
  /** Rejoins the room because of `peerId`'s connection; false if not now (bounded). */
  rejoin?(peerId: string, why: string): boolean;
}

export interface WatchdogOptions {
  clock?: Clock;
  policy?: HealthPolicy;
  tickMs?: number;
  /** ICE restarts before a fresh connection (for the stalls a restart may fix). */
  restartsBeforeReplace?: number;
  reportAfter?: number;
  counters?: RecoveryCounters;
  log?: (line: string) => void;
}

interface Watched {
  peer: WatchedPeer;
  signature: string;
  progressAt: number;
  restarts: number;
  repairs: number;
  reported: boolean;
}

const signatureOf = (f: Omit<ConnectionFacts, 'msSinceProgress' | 'signallingRttMs' | 'negotiationsInFlight'>, pc: ObservedConnection) =>
  [f.signalingState, f.iceGatheringState, f.iceConnectionState, f.connectionState, f.localCandidates, f.remoteCandidates, f.transceivers, f.firstOfferHeld, pc.remoteDescription?.type ?? '-'].join('|');

export class ConnectionWatchdog {
  readonly counters: RecoveryCounters;
  private readonly watched = new Map<string, Watched>();
  private readonly clock: Clock;
  private readonly policy: HealthPolicy;
  private readonly restartsBeforeReplace: number;
  private readonly reportAfter: number;
  private timer: unknown = null;

  constructor(
    private readonly actions: RepairActions,
    private readonly options: WatchdogOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    this.restartsBeforeReplace = options.restartsBeforeReplace ?? 1;
    this.reportAfter = options.reportAfter ?? 4;
    this.counters = options.counters ?? newRecoveryCounters();
  }

  /** Starts watching `peer` (idempotent). */
  watch(peer: WatchedPeer): void {
    if (this.watched.has(peer.id)) return;
    this.watched.set(peer.id, { peer, signature: '', progressAt: this.clock.now(), restarts: 0, repairs: 0, reported: false });
    this.timer ??= this.clock.setInterval(() => this.tick(), this.options.tickMs ?? 1000);
  }

  unwatch(peerId: string): void {
    this.watched.delete(peerId);
    if (this.watched.size === 0) this.stopTimer();
  }

  stop(): void {
    this.watched.clear();
    this.stopTimer();
  }

  /** The verdict on every watched connection now (diagnostics, tests). */
  assess(): Map<string, Assessment> {
    const facts = this.sample();
    return new Map([...facts].map(([id, f]) => [id, assessConnection(f, this.policyFor(id))]));
  }

  /** One round: sample every connection, repair the stalled ones. Public for tests with a fake clock. */
  tick(): void {
    for (const [id, f] of this.sample()) {
      const entry = this.watched.get(id);
      if (!entry) continue; // stopped by a repair earlier in this round (a rejoin)
      const { verdict, why } = assessConnection(f, this.policyFor(id));
      if (verdict === 'ok' && f.connectionState === 'connected') {
        entry.restarts = 0;
        entry.repairs = 0;
        entry.reported = false;
      }
      if (verdict === 'stalled' && !this.actions.undecided?.(id)) this.repair(entry, why, f);
    }
  }

  private isPlain(peerId: string): boolean {
    return this.actions.isPlain?.(peerId) ?? false;
  }

  private policyFor(peerId: string): HealthPolicy {
    return this.isPlain(peerId) ? PLAIN_PEER_POLICY : this.policy;
  }

  private sample(): Map<string, ConnectionFacts> {
    const now = this.clock.now();
    const partial = new Map<string, Omit<ConnectionFacts, 'msSinceProgress' | 'signallingRttMs' | 'negotiationsInFlight'>>();
    for (const [id, entry] of this.watched) {
      const pc = entry.peer.pc;
      const f = {
        signalingState: pc.signalingState,
        iceGatheringState: pc.iceGatheringState,
        iceConnectionState: pc.iceConnectionState,
        connectionState: pc.connectionState,
        localCandidates: countCandidates(pc.localDescription),
        remoteCandidates: countCandidates(pc.remoteDescription),
        hasRemoteDescription: !!pc.remoteDescription,
        transceivers: pc.getTransceivers().length,
        firstOfferHeld: this.actions.offerHeld(id),
      };
      const signature = signatureOf(f, pc);
      if (signature !== entry.signature) {
        entry.signature = signature;
        entry.progressAt = now;
      }
      partial.set(id, f);
    }
    const inFlight = [...partial.values()].filter(f => f.connectionState !== 'connected' && f.connectionState !== 'closed' && f.transceivers > 0).length;
    const rtt = this.actions.signallingRttMs();
    const facts = new Map<string, ConnectionFacts>();
    for (const [id, f] of partial) {
      facts.set(id, { ...f, msSinceProgress: now - this.watched.get(id)!.progressAt, signallingRttMs: rtt, negotiationsInFlight: Math.max(1, inFlight) });
    }
    return facts;
  }

  private repair(entry: Watched, why: string, f: ConnectionFacts): void {
    const id = entry.peer.id;
    const c = this.counters;
    const acted = () => {
      c.repairs++;
      entry.repairs++;
      entry.progressAt = this.clock.now(); // a full quiet period before the next verdict
      entry.signature = '';
      if (entry.repairs >= this.reportAfter && !entry.reported) {
        entry.reported = true;
        this.actions.unreachable(id);
      }
    };
    if (why === 'no offer came') {
      this.log(`offering to ${id} after all: ${why}`);
      this.actions.releaseOffer(id);
      c.releasedOffers++;
      return acted();
    }
    if (this.isPlain(id)) return this.repairPlain(entry, why, f, acted);
    // the other side repairs (it offers; we answer) — unless the fault is plainly ours: our
    // ICE agent produced no candidate, so the other side sits in "checking", which it never
    // interrupts
    const ownFault = f.hasRemoteDescription && f.localCandidates === 0 && (why === 'gathered no candidate' || why === 'ice never started');
    if (!this.actions.repairsFor(id) && !ownFault) return;
    const restartMayHelp = why !== 'negotiation unanswered' && why !== 'gathered no candidate';
    if (restartMayHelp && entry.restarts < this.restartsBeforeReplace) return this.restart(entry, why, acted);
    if (this.actions.replace(id)) {
      c.replacements++;
      this.log(`new connection to ${id}: ${why}`);
      entry.restarts = 0;
      return acted();
    }
  }

  /**
   * A plain SDK page never repairs and never takes a fresh connection of ours: one ICE
   * restart on the same connection (its perfect negotiation answers it) where that can help,
   * then a rejoin. An agent that gathered nothing, or an offer never answered, gets no restart.
   */
  private repairPlain(entry: Watched, why: string, f: ConnectionFacts, acted: () => void): void {
    const id = entry.peer.id;
    const restartMayHelp = why !== 'negotiation unanswered' && !isGatherStall(f);
    if (restartMayHelp && entry.restarts < this.restartsBeforeReplace) return this.restart(entry, why, acted);
    if (this.actions.rejoin?.(id, why)) {
      this.counters.rescues++;
      this.log(`rejoining the room for plain page ${id}: ${why}`);
      entry.restarts = 0;
      return acted();
    }
    // no rejoin now (bounded): a restart is all that is left
    return this.restart(entry, why, acted);
  }

  private restart(entry: Watched, why: string, acted: () => void): void {
    entry.restarts++;
    this.counters.restarts++;
    this.log(`ICE restart ${entry.restarts} for ${entry.peer.id}: ${why}`);
    this.actions.restartIce(entry.peer.id);
    acted();
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clock.clearInterval(this.timer);
    this.timer = null;
  }

  private log(line: string): void {
    (this.options.log ?? (l => console.debug(`<metered-call> ${l}`)))(line);
  }
}
