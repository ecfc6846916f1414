// Text chat over the call's own channel: messages are broadcast with `peer.send`,
// arrive through the validated protocol (call-messages.ts), are keyed by the
// server-stamped sender id and shown with the name that sender introduced.
// Bounded: the last 200 messages are kept, and we send no faster than others accept.
import type { ReactiveControllerHost } from 'lit';
import { emit } from '../events.js';
import { MeteredCallError } from '../errors.js';
import { chatMessage, SenderRateLimit } from '../protocol/messages.js';
import type { CallSession } from './call-session.js';

const MAX_KEPT = 200;

export interface ChatEntry {
  id: number;
  peerId: string;
  username: string;
  text: string;
  self: boolean;
}

export class Chat {
  messages: ChatEntry[] = [];
  /** Messages that arrived while the panel was closed. */
  unread = 0;
  open = false;
  private nextId = 0;
  // stricter than what receivers allow (burst 10, 2/s), so what we send is never dropped
  private readonly outgoing = new SenderRateLimit(5, 1);

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly session: CallSession,
    /** The name shown for a participant (introduced, cleaned), or for us. */
    private readonly nameOf: (peerId: string | null) => string,
  ) {}

  /** Sends `text` to everyone in the call. Rejects when not in a call, when empty, or when sending too fast. */
  async send(text: string): Promise<void> {
    const message = chatMessage(text);
    const peer = this.session.sdkPeer;
    if (!peer || this.session.state !== 'joined') throw new Error('sendChat: not in a call');
    if (!message.text) throw new Error('sendChat: nothing to send');
    if (!this.outgoing.allow('self')) throw new MeteredCallError('rate-limited', { detail: 'chat: at most 5 messages at once, then 1 a second' });
    await peer.send(message);
    this.add(this.session.localPeerId ?? '', message.text, true);
  }

  /** A validated message from `peerId`. */
  receive(peerId: string, text: string): void {
    this.add(peerId, text, false);
    if (!this.open) this.unread++;
  }

  clear(): void {
    this.messages = [];
    this.unread = 0;
  }

  private add(peerId: string, text: string, self: boolean): void {
    const username = this.nameOf(self ? null : peerId);
    this.messages = [...this.messages.slice(1 - MAX_KEPT), { id: this.nextId++, peerId, username, text, self }];
    this.host.requestUpdate();
    emit(this.host, 'chat-message', { peerId, username, text, self });
  }
}
