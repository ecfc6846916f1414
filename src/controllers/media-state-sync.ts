// Media states over the call's channel: ours goes to everyone whenever it changes (and to
// each newcomer), coalesced to one message per SEND_INTERVAL_MS; each remote participant's
// arrives already validated by the session (protocol/messages.ts) and is kept while they
// are in the room. A tile shows a remote camera as off, a microphone as muted, and a
// shared screen from these.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { stateMessage, type MediaState } from '../protocol/messages.js';
import type { CallSession } from '../call/call-session.js';
import { inRoom } from '../types.js';

/** At most one media-state message per this many ms. */
const SEND_INTERVAL_MS = 500;

export class MediaStateSync implements ReactiveController {
  /** Each remote participant's media state, keyed by the server-stamped sender. */
  private readonly remote = new Map<string, MediaState>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private pending = false;
  private wasInRoom = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly session: CallSession,
    /** Our media state as it is now. */
    private readonly local: () => MediaState,
  ) {
    host.addController(this);
  }


  /** What `peerId` told us they send; `undefined` until they do. */
  of(peerId: string): MediaState | undefined {
    return this.remote.get(peerId);
  }

  /** Tells everyone our media state (now, or once the current interval is over). */
  send(): void {
    const peer = this.session.sdkPeer;
    if (!peer || this.session.state !== 'joined') return;
    if (this.timer) {
      this.pending = true;
      return;
    }
    peer.send(stateMessage(this.local())).catch(() => {});
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.pending) {
        this.pending = false;
        this.send();
      }
    }, SEND_INTERVAL_MS);
  }

  /**
   * Keeps a participant's media state (only of participants in the room: the map stays as
   * small as the room). Returns `true` when they just started sharing their screen.
   */
  receive(peerId: string, state: MediaState): boolean {
    if (!this.session.tiles.has(peerId)) return false;
    const before = this.remote.get(peerId);
    this.remote.set(peerId, { audio: state.audio, video: state.video, screen: state.screen });
    this.host.requestUpdate();
    return state.screen && !before?.screen;
  }

  forget(peerId: string): void {
    this.remote.delete(peerId);
  }

  hostUpdate(): void {
    // out of the room: nothing kept, no timer left (it would hold the element)
    const now = inRoom(this.session.state);
    if (this.wasInRoom && !now) this.reset();
    this.wasInRoom = now;
  }

  private reset(): void {
    this.remote.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
  }
}
