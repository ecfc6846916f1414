// Who is connected and who is in which channel, plus the presence fan-out that keeps
// every member's view in step (docs/protocol.md §4.1, §5). Pure in-memory state; the request
// rules (validation, authorisation, acks) live in requests.ts.
import type { LatePresence } from './fault-late-presence.ts';
// Peer ids and channel names live in one namespace per app (a key's `app`): clients of
// different apps never see, message or direct each other, even with equal names.
import { type PresencePeer, presenceFrame, presenceFrameFromJson } from './protocol.ts';

/** What the hub needs from a connection (implemented by Session). */
export interface Member {
  readonly peerId: string;
  readonly keyId: string;
  /** The namespace of its peer id and channels. */
  readonly app: string;
  readonly presenceEntry: PresencePeer;
  /** JSON of presenceEntry, cached: snapshots of big rooms are built from it every subscribe. */
  readonly presenceJson: string;
  readonly wantsPresence: boolean;
  /** channel → includeSenderMetadata */
  readonly subscriptions: Map<string, boolean>;
  /** `from`: the connection whose request caused this frame (its fair share of this outbox is tracked). */
  send(text: string, yieldAfter?: boolean, from?: Member): void;
}

/** Bounds a snapshot under the SDK's 1 MiB frame cap and matches its MAX_PEERS_PER_CHANNEL. */
export const MAX_CHANNEL_MEMBERS = 256;

/** One map key for a name inside an app; the length prefix keeps it unambiguous. */
const scoped = (app: string, name: string): string => `${app.length}:${app}|${name}`;

export class Hub {
  /** scoped(app, peerId) → member */
  private readonly peers = new Map<string, Member>();
  /** scoped(app, channel) → peerId → member */
  readonly channels = new Map<string, Map<string, Member>>();
  private readonly perKey = new Map<string, number>();
  /** Set during shutdown: everyone is leaving, so per-departure presence would be N² noise. */
  quiet = false;
  /** Fault mode only (fault-late-presence.ts): newcomers are announced after their first direct. */
  latePresence: LatePresence | null = null;

  connectionsFor(keyId: string): number {
    return this.perKey.get(keyId) ?? 0;
  }

  /** The connection holding `peerId` in `app`, if any. */
  peer(app: string, peerId: string): Member | undefined {
    return this.peers.get(scoped(app, peerId));
  }

  /** The members of `channel` in `app`, if it has any. */
  members(app: string, channel: string): ReadonlyMap<string, Member> | undefined {
    return this.channels.get(scoped(app, channel));
  }

  /** Registers a connection; the caller has already evicted any holder of the same peer id. */
  add(m: Member): void {
    this.peers.set(scoped(m.app, m.peerId), m);
    this.perKey.set(m.keyId, this.connectionsFor(m.keyId) + 1);
  }

  /** Unregisters a connection and tells every co-member it left. Idempotent. */
  remove(m: Member): void {
    const id = scoped(m.app, m.peerId);
    if (this.peers.get(id) !== m) return;
    this.peers.delete(id);
    const n = this.connectionsFor(m.keyId) - 1;
    if (n > 0) this.perKey.set(m.keyId, n);
    else this.perKey.delete(m.keyId);
    for (const channel of [...m.subscriptions.keys()]) this.leave(m, channel);
  }

  isMember(m: Member, channel: string): boolean {
    return this.members(m.app, channel)?.get(m.peerId) === m;
  }

  memberCount(app: string, channel: string): number {
    return this.members(app, channel)?.size ?? 0;
  }

  /**
   * Adds `m` to `channel`. A newcomer is announced to the existing members here, i.e.
   * before the caller acks the joiner, so they know it before any direct from it arrives.
   * Returns the snapshot frame to send after the ack (built now, so frames queued behind
   * it describe later changes), or null when the member does not receive presence.
   */
  join(m: Member, channel: string, includeSenderMetadata: boolean): string | null {
    const key = scoped(m.app, channel);
    let members = this.channels.get(key);
    if (!members) {
      members = new Map();
      this.channels.set(key, members);
    }
    const isNew = !members.has(m.peerId);
    m.subscriptions.set(channel, includeSenderMetadata); // last subscribe's flag wins
    if (isNew) {
      const delta = presenceFrame(channel, [m.presenceEntry], []);
      for (const other of members.values()) {
        if (!other.wantsPresence) continue;
        if (this.latePresence) this.latePresence.hold(other, m.peerId, delta);
        else other.send(delta);
      }
      members.set(m.peerId, m);
    }
    if (!m.wantsPresence) return null;
    return presenceFrameFromJson(channel, [...members.values()].map((x) => x.presenceJson));
  }

  /** Removes `m` from `channel` and announces `left` to the rest. Returns whether it was a member. */
  leave(m: Member, channel: string): boolean {
    m.subscriptions.delete(channel);
    const key = scoped(m.app, channel);
    const members = this.channels.get(key);
    if (!members || members.get(m.peerId) !== m) return false;
    members.delete(m.peerId);
    if (members.size === 0) {
      this.channels.delete(key);
      return true;
    }
    if (this.quiet) return true;
    this.latePresence?.releaseAll(m.peerId);
    const delta = presenceFrame(channel, [], [{ peerId: m.peerId }]);
    for (const other of members.values()) if (other.wantsPresence) other.send(delta);
    return true;
  }
}
