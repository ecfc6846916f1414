// What a screen-reader user hears: polite announcements through two alternating live
// regions (the same text twice is still announced), and the roster's comings and goings.
// A newcomer's name arrives with their `introduce`, so "X joined" waits for it (or for
// JOIN_NAME_WAIT_MS, then says "Guest"). Fed by the session's typed callbacks, never by
// the element's public events (a page may stop those).
import { html, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';

/** How long "X joined" waits for X's name. */
const JOIN_NAME_WAIT_MS = 3000;

export interface AnnouncerTexts {
  peerJoined: (name: string) => string;
  peerLeft: (name: string) => string;
}

export class Announcer implements ReactiveController {
  private live: [string, string] = ['', ''];
  /** Participants whose arrival is not announced yet (waiting for their name). */
  private readonly pendingJoins = new Map<string, ReturnType<typeof setTimeout>>();
  /**
   * The name each present participant was announced with: the session forgets a name when
   * its owner leaves, and "X left" still needs it. Bounded by the room.
   */
  private readonly announcedAs = new Map<string, string>();
  private wasInRoom = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly texts: () => AnnouncerTexts,
    /** The name to say for a participant (introduced, else "Guest"). */
    private readonly nameOf: (peerId: string) => string,
    /** Whether the participant is still in the room (has a tile). */
    private readonly isPresent: (peerId: string) => boolean,
    /** Whether we are in the room (`inRoom` of the call's state). */
    private readonly inRoom: () => boolean,
  ) {
    host.addController(this);
  }

  announce(text: string): void {
    this.live = this.live[0] ? ['', text] : [text, ''];
    this.host.requestUpdate();
  }

  /** The two live regions; rendered once, outside everything that comes and goes. */
  render(): TemplateResult {
    return html`<div class="visually-hidden" role="status">${this.live[0]}</div>
      <div class="visually-hidden" role="status">${this.live[1]}</div>`;
  }

  peerJoined(peerId: string): void {
    clearTimeout(this.pendingJoins.get(peerId));
    this.pendingJoins.set(
      peerId,
      setTimeout(() => this.announceJoin(peerId), JOIN_NAME_WAIT_MS),
    );
  }

  introduced(peerId: string): void {
    if (this.pendingJoins.has(peerId)) this.announceJoin(peerId);
    else if (this.announcedAs.has(peerId)) this.announcedAs.set(peerId, this.nameOf(peerId));
  }

  peerLeft(peerId: string): void {
    const wasAnnounced = !this.pendingJoins.has(peerId);
    clearTimeout(this.pendingJoins.get(peerId));
    this.pendingJoins.delete(peerId);
    if (wasAnnounced) this.announce(this.texts().peerLeft(this.announcedAs.get(peerId) ?? this.nameOf(peerId)));
    this.announcedAs.delete(peerId);
  }

  hostUpdate(): void {
    // out of the room: no timer outlives the call (each one holds the element)
    const inRoom = this.inRoom();
    if (this.wasInRoom && !inRoom) this.reset();
    this.wasInRoom = inRoom;
  }

  private reset(): void {
    for (const timer of this.pendingJoins.values()) clearTimeout(timer);
    this.pendingJoins.clear();
    this.announcedAs.clear();
  }

  private announceJoin(peerId: string): void {
    clearTimeout(this.pendingJoins.get(peerId));
    this.pendingJoins.delete(peerId);
    if (!this.isPresent(peerId)) return;
    const name = this.nameOf(peerId);
    this.announcedAs.set(peerId, name);
    this.announce(this.texts().peerJoined(name));
  }
}
