// The page going away ends the call at once, so the others see `peer-left` now rather
// than when the server notices a dead socket (or never, for a page frozen in the
// back/forward cache with its socket open): `pagehide` leaves the room. A page restored
// from that cache (`pageshow` with `persisted`) rejoins if it was in a call.
//
// Moving the element in the DOM is not leaving: CallSession decides on a microtask after
// `disconnectedCallback`, when a synchronous re-parent has already put it back.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { inCall, type CallState } from '../types.js';

export interface LifecycleHost extends ReactiveControllerHost {
  readonly state: CallState;
  readonly isConnected: boolean;
  join(): Promise<void>;
  leave(): Promise<void>;
}

export class PageLifecycle implements ReactiveController {
  private rejoinOnShow = false;
  private listening = false;

  constructor(private readonly host: LifecycleHost) {
    host.addController(this);
  }

  hostConnected(): void {
    if (this.listening || typeof window === 'undefined') return;
    this.listening = true;
    window.addEventListener('pagehide', this.onPageHide);
    window.addEventListener('pageshow', this.onPageShow);
  }

  hostDisconnected(): void {
    // a move re-connects synchronously; stay subscribed until the element is really gone
    queueMicrotask(() => {
      if (this.host.isConnected || !this.listening) return;
      this.listening = false;
      window.removeEventListener('pagehide', this.onPageHide);
      window.removeEventListener('pageshow', this.onPageShow);
    });
  }

  private readonly onPageHide = (event: PageTransitionEvent) => {
    if (!inCall(this.host.state)) return;
    this.rejoinOnShow = event.persisted;
    // leave() closes the signalling socket synchronously, before the page is gone
    void this.host.leave();
  };

  private readonly onPageShow = (event: PageTransitionEvent) => {
    if (!event.persisted || !this.rejoinOnShow) return;
    this.rejoinOnShow = false;
    if (this.host.isConnected) this.host.join().catch(() => {}); // failures are shown by the element
  };
}
