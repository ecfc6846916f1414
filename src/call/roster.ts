// Who is in the call as the element shows it: the seated remote peers (one tile each),
// the ones waiting for a seat beyond `max-peers`, and everyone's display name.
// Plain data and rules, no SDK calls: the session asks and acts.
import type { RemoteTile } from '../types.js';

/** Names remembered at most (they may arrive before presence, and from anyone). */
export const MAX_KNOWN_NAMES = 256;

interface Waiting {
  readonly id: string;
  readonly state: string;
}

export class Roster<R extends Waiting = Waiting> {
  readonly tiles = new Map<string, RemoteTile>();
  /** peerId → display name, cleaned; apart from tiles because names may arrive before presence. */
  readonly names = new Map<string, string>();
  /** Peers beyond `max-peers`, in arrival order: no tile, no media connection; seated when one frees. */
  private readonly waiting = new Map<string, R>();
  private maxPeers = Infinity;
  private refused: () => boolean = () => false;

  /** For a new call: the seat count (us included) and whether the room refused us (room-full). */
  configure(maxPeers: number, refused: () => boolean): void {
    this.maxPeers = maxPeers;
    this.refused = refused;
  }

  private hasFreeSeat(): boolean {
    return !this.refused() && this.tiles.size + 1 < this.maxPeers;
  }

  /** A peer joined: its new tile, or `null` if it waits (seats taken, or we are being refused). */
  seat(remote: R): RemoteTile | null {
    if (!this.hasFreeSeat()) {
      this.waiting.set(remote.id, remote);
      return null;
    }
    const tile: RemoteTile = { peerId: remote.id, stream: null, screen: null, connection: 'connecting' };
    this.tiles.set(remote.id, tile);
    return tile;
  }

  /** A peer left: whether it had a seat (`false`: it was waiting, or unknown). */
  remove(peerId: string): boolean {
    this.waiting.delete(peerId);
    this.names.delete(peerId);
    return this.tiles.delete(peerId);
  }

  /** A seat freed: the longest-waiting peer still there, taken off the waiting list. */
  nextWaiting(): R | null {
    if (!this.hasFreeSeat()) return null;
    for (const [id, remote] of this.waiting) {
      this.waiting.delete(id);
      if (remote.state !== 'closed') return remote;
    }
    return null;
  }

  /** Records a name; `false` if nothing changed (same name, or too many names known). */
  setName(peerId: string, name: string): boolean {
    if (this.names.get(peerId) === name) return false;
    if (!this.names.has(peerId) && this.names.size >= MAX_KNOWN_NAMES) return false;
    this.names.set(peerId, name);
    return true;
  }

  clear(): void {
    this.tiles.clear();
    this.names.clear();
    this.waiting.clear();
  }
}
