// Raised hands, reactions and self-reported quality in a call: what the element calls
// when the visitor raises a hand or reacts, when a validated message arrives, and when
// the roster changes. It sends through `channel`, keeps the state (RaisedHands,
// Reactions, each participant's own quality report), fires the public events and tells
// the element what to announce through `onAnnounce` (never through the public events,
// which a page may stop).
import { emit } from '../events.js';
import { qualityMessage, REACTION_EMOJI, type InteractionMessage, type QualityLevel, type ReactionKey } from '../protocol/interaction-messages.js';
import { RaisedHands } from './raised-hands.js';
import { Reactions } from './reactions.js';

/** How the call's messages go out: a broadcast (`peer.send`), and our server-stamped id. */
export interface InteractionChannel {
  send(message: InteractionMessage): Promise<unknown>;
  readonly selfId: string | null;
}

export type Announcement =
  | { kind: 'hand'; peerId: string; raised: boolean }
  | { kind: 'reaction'; peerId: string; reaction: ReactionKey };

export class Interactions {
  readonly hands = new RaisedHands();
  readonly reactions: Reactions;
  /** peerId → the quality that participant reports of its own upload. */
  readonly reportedQuality = new Map<string, QualityLevel>();
  private ownQuality: QualityLevel | null = null;

  constructor(
    private readonly host: EventTarget & { requestUpdate(): void },
    private readonly channel: InteractionChannel,
    private readonly onAnnounce: (what: Announcement) => void = () => {},
  ) {
    this.reactions = new Reactions(() => host.requestUpdate());
  }

  /** Our hand up or down. Rejects when the message cannot be sent (the hand stays as it was). */
  async raiseHand(raised: boolean): Promise<void> {
    const message = this.hands.setMine(raised);
    if (!message) return;
    try {
      await this.channel.send(message);
    } catch (err) {
      this.hands.mine = !raised;
      throw err;
    }
    this.host.requestUpdate();
    emit(this.host, 'hand-raised', { peerId: this.channel.selfId ?? '', raised, self: true });
  }

  /** Sends a reaction and shows it on our tile; `false` when we are sending too fast. */
  async react(reaction: ReactionKey): Promise<boolean> {
    const message = this.reactions.send(reaction);
    if (!message) return false;
    await this.channel.send(message);
    this.show(this.channel.selfId ?? '', reaction, true);
    return true;
  }

  /** Our upload quality (the quality monitor's `null` report): sent to others when it changes. */
  reportOwnQuality(level: QualityLevel): void {
    if (level === this.ownQuality) return;
    this.ownQuality = level;
    this.channel.send(qualityMessage(level)).catch(() => {});
  }

  /** A validated message from `peerId`, a participant in the room. */
  receive(peerId: string, message: InteractionMessage): void {
    if (message.type === 'hand') {
      const change = this.hands.receive(peerId, message.raised);
      if (!change) return;
      this.host.requestUpdate();
      emit(this.host, 'hand-raised', { peerId, raised: change.raised, self: false });
      if (change.announce) this.onAnnounce({ kind: 'hand', peerId, raised: change.raised });
    } else if (message.type === 'reaction') {
      this.show(peerId, message.reaction, false);
    } else if (this.reportedQuality.get(peerId) !== message.level) {
      this.reportedQuality.set(peerId, message.level);
      this.host.requestUpdate();
    }
  }

  /** A newcomer hears our hand (if up) and our quality, as it hears our media state. */
  peerJoined(): void {
    const hand = this.hands.forNewcomer();
    if (hand) this.channel.send(hand).catch(() => {});
    if (this.ownQuality) this.channel.send(qualityMessage(this.ownQuality)).catch(() => {});
  }

  peerLeft(peerId: string): void {
    this.hands.forget(peerId);
    this.reactions.forget(peerId);
    this.reportedQuality.delete(peerId);
  }

  /** The call ended. */
  clear(): void {
    this.hands.clear();
    this.reactions.clear();
    this.reportedQuality.clear();
    this.ownQuality = null;
  }

  private show(peerId: string, reaction: ReactionKey, self: boolean): void {
    if (!this.reactions.receive(peerId, reaction)) return; // over this sender's limit
    this.host.requestUpdate();
    emit(this.host, 'reaction', { peerId, reaction, emoji: REACTION_EMOJI[reaction], self });
    if (!self) this.onAnnounce({ kind: 'reaction', peerId, reaction });
  }
}
