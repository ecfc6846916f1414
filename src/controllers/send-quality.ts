// The media policy (call/media-policy.ts) in the element: it follows the session's
// connections and the room size, hears which participants do not show our tile (their
// `view` messages), tells the others which tiles we do not show (a tile clipped out of
// the stage, every tile while the tab is hidden), and feeds CPU pressure to the policy.
// The tiles show the outcome: `data-send` on a remote tile is what we send that
// participant (a tier name, or `paused`), `data-quality` on our own tile the tier now.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { MediaPolicy, type MediaPolicyCounters, type SendQuality } from '../call/media-policy.js';
import { CpuPressureWatch } from '../call/cpu-pressure.js';
import { ViewSender, type ViewMessage } from '../protocol/view-messages.js';

/** A tab hidden this long counts as not showing anyone (a quick look at another tab does not blank the call). */
export const HIDDEN_TAB_GRACE_MS = 5000;

/**
 * CPU pressure is watched from this long after the first connection: starting a call is a
 * burst of work that would read as pressure and reconfigure the encoders during the first
 * frames.
 */
export const CPU_WATCH_DELAY_MS = 3000;

export interface SendQualityDeps {
  /** Our peer id in the call, or null. */
  localPeerId(): string | null;
  /** Broadcasts a message to the room (rejections are ignored: the next change says it again). */
  send(message: ViewMessage): void;
  /** `true` for a track that keeps its quality (our shared screen). */
  keepsQuality(track: MediaStreamTrack): boolean;
}

export class SendQualityController implements ReactiveController {
  readonly policy: MediaPolicy;
  private readonly connections = new Map<string, RTCPeerConnection>();
  private readonly cpu: CpuPressureWatch;
  private readonly views: ViewSender;
  private observer: IntersectionObserver | null = null;
  private stage: Element | null = null;
  /** peer id → whether its tile intersects the stage (absent: not measured yet, counts as shown) */
  private readonly tileShown = new Map<string, boolean>();
  private readonly observed = new WeakSet<Element>();
  private hiddenTimer: ReturnType<typeof setTimeout> | null = null;
  private tabHidden = false;
  private cpuTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly deps: SendQualityDeps,
  ) {
    this.policy = new MediaPolicy({
      follows: track => !this.deps.keepsQuality(track as MediaStreamTrack),
      onChange: () => this.host.requestUpdate(),
    });
    this.cpu = new CpuPressureWatch(
      steps => this.policy.setCpuSteps(steps),
      () => [...this.connections.values()].flatMap(pc => pc.getSenders().filter(s => s.track?.kind === 'video')),
    );
    this.views = new ViewSender(message => this.deps.send(message));
    host.addController(this);
  }

  get counters(): MediaPolicyCounters {
    return this.policy.counters;
  }

  /** The receiver that delivers `track` from `peerId` (the active speaker reads its levels). */
  receiverOf(peerId: string, track: MediaStreamTrack): RTCRtpReceiver | null {
    return this.connections.get(peerId)?.getReceivers().find(r => r.track === track) ?? null;
  }

  /** What we send to `peerId`, for its tile's `data-send`. */
  sendTo(peerId: string): string {
    const q: SendQuality = this.policy.quality(peerId);
    return q.paused ? 'paused' : q.tier;
  }

  /** The session's hook (CallSessionOptions.onConnection). */
  onConnection(peerId: string, pc: RTCPeerConnection | null, participants: number): void {
    if (pc) this.connections.set(peerId, pc);
    else {
      this.connections.delete(peerId);
      this.tileShown.delete(peerId);
    }
    this.policy.setConnection(peerId, pc, participants);
    if (this.connections.size > 0) this.watchCpuSoon();
    else this.stopCpu();
    // a newcomer has not heard which tiles we do not show
    if (pc) this.views.repeat();
    this.host.requestUpdate();
  }

  /** A `view` message from `senderPeerId` (already parsed and rate-limited). */
  onView(senderPeerId: string, message: ViewMessage): void {
    const me = this.deps.localPeerId();
    if (!me || !this.connections.has(senderPeerId)) return;
    this.policy.setShownBy(senderPeerId, !message.hidden.includes(me));
  }

  private watchCpuSoon(): void {
    if (this.cpuTimer || this.cpu.source !== 'none') return;
    this.cpuTimer = setTimeout(() => {
      this.cpuTimer = null;
      if (this.connections.size > 0) this.cpu.start();
    }, CPU_WATCH_DELAY_MS);
  }

  private stopCpu(): void {
    if (this.cpuTimer) clearTimeout(this.cpuTimer);
    this.cpuTimer = null;
    this.cpu.stop();
  }

  /** The call is over: forget every connection and stop watching. */
  stop(): void {
    this.policy.stop();
    this.stopCpu();
    this.views.reset();
    this.connections.clear();
    this.tileShown.clear();
    this.observer?.disconnect();
    this.observer = null;
    this.stage = null;
    this.clearHiddenTimer();
    this.tabHidden = false;
  }

  private clearHiddenTimer(): void {
    if (this.hiddenTimer) clearTimeout(this.hiddenTimer);
    this.hiddenTimer = null;
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.onVisibility);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.stop();
  }

  hostUpdated(): void {
    if (this.connections.size === 0) return;
    const root = this.host.shadowRoot;
    const stage = root?.querySelector('.stage') ?? null;
    if (stage !== this.stage) {
      this.observer?.disconnect();
      this.stage = stage;
      this.observer = stage && typeof IntersectionObserver !== 'undefined' ? new IntersectionObserver(this.onIntersect, { root: stage }) : null;
    }
    if (!this.observer || !stage) return;
    for (const tile of stage.querySelectorAll('.tile.remote:not([data-screen])')) {
      if (this.observed.has(tile)) continue;
      this.observed.add(tile);
      this.observer.observe(tile);
    }
  }

  private readonly onIntersect = (entries: IntersectionObserverEntry[]) => {
    for (const entry of entries) {
      const peerId = (entry.target as HTMLElement).dataset.peerId;
      if (peerId && this.connections.has(peerId)) this.tileShown.set(peerId, entry.isIntersecting);
    }
    this.report();
  };

  private readonly onVisibility = () => {
    this.clearHiddenTimer();
    if (document.visibilityState !== 'hidden') {
      this.tabHidden = false;
      this.report();
    } else if (!this.tabHidden) {
      this.hiddenTimer = setTimeout(() => {
        this.hiddenTimer = null;
        this.tabHidden = true;
        this.report();
      }, HIDDEN_TAB_GRACE_MS);
    }
  };

  /** Tells the room which tiles we do not show now (rate-limited; only changes are sent). */
  private readonly report = () => {
    if (this.connections.size === 0) return;
    const hidden = [...this.connections.keys()].filter(id => this.tabHidden || this.tileShown.get(id) === false);
    this.views.update(hidden);
  };
}
