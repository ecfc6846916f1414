// How much camera video we send to each participant. In a mesh every participant encodes
// its camera once per connection, so the cost grows with the room: at 2 people we send
// full quality, from 3 up each connection gets a lower resolution, frame rate and bitrate,
// and all of them together stay within one upload budget (8 people fit on an ordinary
// uplink and two cores). On top of the room size:
// - a participant who does not show our tile (speaker layout, hidden tab; they say so with
//   a `view` message) gets no video from us at all (`active: false`: nothing is encoded)
//   until they show it again;
// - CPU pressure (see cpu-pressure.ts) steps every connection down one or two tiers.
// The policy only writes RTCRtpSender encoding parameters; it never renegotiates.

/** One step of quality; lower tiers are cheaper to encode and to send. */
export interface QualityTier {
  name: 'full' | 'high' | 'medium' | 'low' | 'minimal';
  scaleResolutionDownBy: number;
  maxFramerate: number;
  /** bit/s */
  maxBitrate: number;
}

export const TIERS: readonly QualityTier[] = [
  { name: 'full', scaleResolutionDownBy: 1, maxFramerate: 30, maxBitrate: 1_500_000 },
  { name: 'high', scaleResolutionDownBy: 1.5, maxFramerate: 30, maxBitrate: 800_000 },
  { name: 'medium', scaleResolutionDownBy: 2, maxFramerate: 24, maxBitrate: 450_000 },
  { name: 'low', scaleResolutionDownBy: 3, maxFramerate: 15, maxBitrate: 250_000 },
  { name: 'minimal', scaleResolutionDownBy: 4, maxFramerate: 10, maxBitrate: 120_000 },
];

/** Total camera upload over all connections, bit/s (an ordinary home uplink keeps headroom for audio). */
export const DEFAULT_UPLOAD_BUDGET = 2_500_000;

/** The tier for a room of `participants` (us included), before any CPU step. */
export function tierForRoom(participants: number): number {
  if (participants <= 2) return 0;
  if (participants === 3) return 1;
  if (participants <= 5) return 2;
  return 3;
}

/** What we send to one participant now. */
export interface SendQuality {
  tier: QualityTier['name'];
  /** they do not show our tile: no video is encoded for them */
  paused: boolean;
  scaleResolutionDownBy: number;
  maxFramerate: number;
  maxBitrate: number;
}

/** The parts of RTCRtpSender the policy uses (a fake in unit tests). */
export interface SenderLike {
  readonly track: { readonly kind: string } | null;
  getParameters(): { encodings?: RTCRtpEncodingParameters[] } & object;
  setParameters(parameters: never): Promise<void>;
}

/** The parts of RTCPeerConnection the policy uses. */
export interface ConnectionLike {
  getSenders(): SenderLike[];
  readonly signalingState?: string;
  addEventListener?(type: 'signalingstatechange' | 'connectionstatechange', listener: () => void): void;
  removeEventListener?(type: 'signalingstatechange' | 'connectionstatechange', listener: () => void): void;
}

export interface MediaPolicyCounters {
  /** encoding parameter changes applied (setParameters that succeeded) */
  changes: number;
  /** connections whose video we stopped because the other side does not show us, and resumed */
  pauses: number;
  resumes: number;
  /** CPU pressure steps down and back up */
  cpuStepsDown: number;
  cpuStepsUp: number;
  /** setParameters the browser refused */
  failures: number;
}

export interface MediaPolicyOptions {
  uploadBudget?: number;
  /** Which video tracks follow the policy (default: every video track). A shared screen keeps its quality. */
  follows?: (track: { readonly kind: string }) => boolean;
  /** Called after any change of what we send (for the tiles' data and the counters). */
  onChange?: () => void;
}

interface Link {
  pc: ConnectionLike;
  listener: () => void;
}

export class MediaPolicy {
  readonly counters: MediaPolicyCounters = { changes: 0, pauses: 0, resumes: 0, cpuStepsDown: 0, cpuStepsUp: 0, failures: 0 };
  private readonly links = new Map<string, Link>();
  /** peers that told us they do not show our tile (kept before their connection exists) */
  private readonly hiddenBy = new Set<string>();
  private participants = 1;
  private cpuSteps = 0;
  /** what was last written per sender, so an unchanged policy writes nothing */
  private readonly written = new WeakMap<SenderLike, string>();
  private readonly busy = new WeakMap<SenderLike, Promise<void>>();
  private readonly budget: number;

  constructor(private readonly options: MediaPolicyOptions = {}) {
    this.budget = options.uploadBudget ?? DEFAULT_UPLOAD_BUDGET;
  }

  /** The session's hook: a remote peer's connection appeared (`pc`) or went (`null`); `participants` counts us too. */
  setConnection(peerId: string, pc: ConnectionLike | null, participants: number): void {
    const old = this.links.get(peerId);
    if (old && old.pc !== pc) this.unlink(peerId);
    if (pc && !this.links.has(peerId)) {
      // senders get their encodings once negotiated: apply again whenever the connection settles
      const listener = () => {
        if (pc.signalingState === undefined || pc.signalingState === 'stable') void this.applyTo(peerId);
      };
      pc.addEventListener?.('signalingstatechange', listener);
      pc.addEventListener?.('connectionstatechange', listener);
      this.links.set(peerId, { pc, listener });
    }
    if (!pc) this.hiddenBy.delete(peerId);
    this.participants = Math.max(1, participants);
    void this.apply();
  }

  /** What a remote participant told us: whether it shows our tile. */
  setShownBy(peerId: string, shown: boolean): void {
    if (shown === !this.hiddenBy.has(peerId)) return;
    if (shown) this.hiddenBy.delete(peerId);
    else this.hiddenBy.add(peerId);
    void this.apply();
  }

  /** CPU pressure in steps below the room's tier: 0 (none), 1 (serious), 2 (critical). */
  setCpuSteps(steps: number): void {
    const next = Math.max(0, Math.min(2, Math.round(steps)));
    if (next === this.cpuSteps) return;
    if (next > this.cpuSteps) this.counters.cpuStepsDown += next - this.cpuSteps;
    else this.counters.cpuStepsUp += this.cpuSteps - next;
    this.cpuSteps = next;
    void this.apply();
  }

  get cpuPressureSteps(): number {
    return this.cpuSteps;
  }

  /** The tier every shown connection gets now. */
  get tier(): QualityTier {
    return TIERS[Math.min(TIERS.length - 1, tierForRoom(this.participants) + this.cpuSteps)]!;
  }

  /** What we send to `peerId` now (also before its connection exists). */
  quality(peerId: string): SendQuality {
    const tier = this.tier;
    const paused = this.hiddenBy.has(peerId);
    // the budget is shared by the connections that carry video
    const sending = Math.max(1, [...this.links.keys()].filter(id => !this.hiddenBy.has(id)).length);
    return {
      tier: tier.name,
      paused,
      scaleResolutionDownBy: tier.scaleResolutionDownBy,
      maxFramerate: tier.maxFramerate,
      maxBitrate: Math.min(tier.maxBitrate, Math.floor(this.budget / sending)),
    };
  }

  /** Writes the policy to every connection's video senders; resolves when all writes settled. */
  async apply(): Promise<void> {
    await Promise.all([...this.links.keys()].map(id => this.applyTo(id)));
  }

  /** Forgets every connection (the call ended). */
  stop(): void {
    for (const peerId of [...this.links.keys()]) this.unlink(peerId);
    this.hiddenBy.clear();
    this.cpuSteps = 0;
    this.participants = 1;
  }

  private unlink(peerId: string): void {
    const link = this.links.get(peerId);
    if (!link) return;
    link.pc.removeEventListener?.('signalingstatechange', link.listener);
    link.pc.removeEventListener?.('connectionstatechange', link.listener);
    this.links.delete(peerId);
  }

  private async applyTo(peerId: string): Promise<void> {
    const link = this.links.get(peerId);
    if (!link) return;
    const q = this.quality(peerId);
    const follows = this.options.follows ?? (() => true);
    const senders = link.pc.getSenders().filter(s => s.track?.kind === 'video' && follows(s.track));
    await Promise.all(senders.map(sender => this.write(sender, q)));
  }

  /** One write per sender at a time (getParameters/setParameters must pair up); the last wish wins. */
  private write(sender: SenderLike, q: SendQuality): Promise<void> {
    const previous = this.busy.get(sender) ?? Promise.resolve();
    const next = previous.then(async () => {
      const key = `${q.paused}/${q.scaleResolutionDownBy}/${q.maxFramerate}/${q.maxBitrate}`;
      if (this.written.get(sender) === key) return;
      const parameters = sender.getParameters();
      const encodings = parameters.encodings;
      if (!encodings?.length) return; // not negotiated yet: the next `stable` applies it
      // full quality is what the browser sends anyway: leave a sender we never wrote alone
      // (no encoder reconfiguration while a two-person call sends its first frames)
      if (q.tier === TIERS[0]!.name && !q.paused && untouched(encodings[0]!)) {
        this.written.set(sender, key);
        return;
      }
      const wasPaused = encodings[0]!.active === false;
      fill(encodings, q, !q.paused);
      let paused = q.paused;
      try {
        await sender.setParameters(parameters as never);
      } catch {
        this.counters.failures++;
        // a browser that refuses `active` still gets the tier (fresh parameters: a failed
        // write spends the transaction)
        if (!q.paused) return;
        const again = sender.getParameters();
        if (!again.encodings?.length) return;
        fill(again.encodings, q, true);
        try {
          await sender.setParameters(again as never);
          paused = false;
        } catch {
          return;
        }
      }
      this.written.set(sender, key);
      this.counters.changes++;
      if (paused && !wasPaused) this.counters.pauses++;
      if (!paused && wasPaused) this.counters.resumes++;
      this.options.onChange?.();
    });
    const settled = next.catch(() => {});
    this.busy.set(sender, settled);
    return settled;
  }
}

/** Encodings as the browser made them: nothing scaled down, capped or paused. */
function untouched(e: RTCRtpEncodingParameters): boolean {
  return e.active !== false && (e.scaleResolutionDownBy ?? 1) === 1 && e.maxBitrate === undefined && e.maxFramerate === undefined;
}

function fill(encodings: RTCRtpEncodingParameters[], q: SendQuality, active: boolean): void {
  for (const e of encodings) {
    e.active = active;
    e.scaleResolutionDownBy = q.scaleResolutionDownBy;
    e.maxFramerate = q.maxFramerate;
    e.maxBitrate = q.maxBitrate;
  }
}
