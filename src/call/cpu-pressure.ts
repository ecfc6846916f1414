// How hard the CPU is pressed, as steps below the room's quality tier (0, 1 or 2) for
// the media policy. Where the browser has the Compute Pressure API (PressureObserver,
// Chromium), it says so directly: `serious` is one step, `critical` two. Elsewhere the
// encoders tell us: outbound video whose `qualityLimitationReason` is `cpu` in two
// samples in a row steps down; a long stretch without it steps back up (hysteresis, so
// the quality does not flap between two tiers).

export type PressureState = 'nominal' | 'fair' | 'serious' | 'critical';

export function stepsForPressure(state: PressureState | string): number {
  return state === 'critical' ? 2 : state === 'serious' ? 1 : 0;
}

/** Samples in a row that must agree before the encoder-stats fallback moves a step. */
export const DOWN_AFTER = 2;
export const UP_AFTER = 5;
export const SAMPLE_MS = 4000;

/** The fallback's decision from one sample: was any video encoder limited by CPU? */
export class EncoderPressure {
  steps = 0;
  private limited = 0;
  private clear = 0;

  /** Feeds one sample; returns the steps after it. */
  sample(cpuLimited: boolean): number {
    if (cpuLimited) {
      this.clear = 0;
      if (++this.limited >= DOWN_AFTER && this.steps < 2) {
        this.steps++;
        this.limited = 0;
      }
    } else {
      this.limited = 0;
      if (++this.clear >= UP_AFTER && this.steps > 0) {
        this.steps--;
        this.clear = 0;
      }
    }
    return this.steps;
  }
}

/** `true` when a stats report has outbound video limited by CPU. */
export function cpuLimited(report: Iterable<unknown>): boolean {
  for (const s of report) {
    const stat = s as { type?: string; kind?: string; qualityLimitationReason?: string };
    if (stat.type === 'outbound-rtp' && stat.kind === 'video' && stat.qualityLimitationReason === 'cpu') return true;
  }
  return false;
}

interface PressureRecordLike {
  state: string;
}
interface PressureObserverLike {
  observe(source: 'cpu', options?: { sampleInterval?: number }): Promise<void>;
  disconnect(): void;
}
type PressureObserverCtor = new (cb: (records: PressureRecordLike[]) => void) => PressureObserverLike;

/**
 * Watches CPU pressure and reports steps through `onSteps`. `senders()` gives the video
 * senders to sample when there is no PressureObserver.
 */
export class CpuPressureWatch {
  private observer: PressureObserverLike | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly fallback = new EncoderPressure();
  /** `pressure-observer`, `encoder-stats`, or `none` before start / after stop. */
  source: 'pressure-observer' | 'encoder-stats' | 'none' = 'none';

  constructor(
    private readonly onSteps: (steps: number) => void,
    private readonly senders: () => { getStats(): Promise<RTCStatsReport> }[],
  ) {}

  start(): void {
    if (this.source !== 'none') return;
    const Ctor = (globalThis as { PressureObserver?: PressureObserverCtor }).PressureObserver;
    if (Ctor) {
      try {
        const observer = new Ctor(records => {
          const last = records[records.length - 1];
          if (last) this.onSteps(stepsForPressure(last.state));
        });
        this.observer = observer;
        this.source = 'pressure-observer';
        // refused (a permissions policy, an insecure context): fall back to the encoders
        observer.observe('cpu', { sampleInterval: 2000 }).catch(() => {
          if (this.observer !== observer) return;
          this.observer = null;
          this.source = 'none';
          this.startSampling();
        });
        return;
      } catch {
        this.observer = null;
      }
    }
    this.startSampling();
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.source = 'none';
  }

  private startSampling(): void {
    this.source = 'encoder-stats';
    this.timer = setInterval(() => void this.sample(), SAMPLE_MS);
  }

  private async sample(): Promise<void> {
    let limited = false;
    for (const sender of this.senders()) {
      const report = await sender.getStats().catch(() => null);
      if (report && cpuLimited(report.values())) {
        limited = true;
        break;
      }
    }
    if (this.source !== 'encoder-stats') return; // stopped meanwhile
    const before = this.fallback.steps;
    const after = this.fallback.sample(limited);
    if (after !== before) this.onSteps(after);
  }
}
