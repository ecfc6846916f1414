// The call timer of `show-timer`: when this call began (the first time it was joined; kept
// through reconnections, reset once the call is over), and a re-render on each whole
// second while the timer is shown and the element is on the page.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CallTimer } from '../call/call-timer.js';
import type { CallState } from '../types.js';
import { inRoom } from '../types.js';

export class CallClock implements ReactiveController {
  private since: number | null = null;
  private readonly timer: CallTimer;

  constructor(
    host: ReactiveControllerHost,
    private readonly state: () => CallState,
    private readonly shown: () => boolean,
  ) {
    host.addController(this);
    this.timer = new CallTimer(() => host.requestUpdate());
  }

  /** Milliseconds in this call, or null when not in one yet. */
  get elapsed(): number | null {
    return this.since === null ? null : Date.now() - this.since;
  }

  hostUpdate(): void {
    const state = this.state();
    if (!inRoom(state)) this.since = null;
    else if (this.since === null && state === 'joined') this.since = Date.now();
    const tick = this.since !== null && this.shown();
    if (tick && this.timer.startedAt === null) this.timer.start(this.since!);
    else if (!tick && this.timer.startedAt !== null) this.timer.stop();
  }

  hostDisconnected(): void {
    this.timer.stop(); // hostUpdate starts it again when the element is back
  }
}
