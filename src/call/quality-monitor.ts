// Reads every connection's getStats() on one timer and reports connection quality: per
// remote participant (everything we measure on our connection to them) and for us (our
// upload: shown on our own tile). The timer stops while the tab is hidden (the figures
// would be seen by no one) and the counters start over when it comes back.
import { judge, QualityTracker, RANK, type QualityReport } from './connection-quality.js';
import { readSample, type Counters } from './stats-sample.js';

export const QUALITY_INTERVAL_MS = 2000;

/** What the monitor needs of a connection (an RTCPeerConnection, or a recording in tests). */
export interface StatsSource {
  getStats(): Promise<{ forEach(callback: (stats: Record<string, unknown>) => void): void }>;
  readonly connectionState?: string;
}

/** What the monitor needs of the document: visibility. */
export interface VisibilitySource {
  readonly hidden: boolean;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

export interface QualityMonitorOptions {
  /** The live connections now, by remote peer id (asked on every tick: swaps and departures are picked up). */
  connections: () => Iterable<readonly [string, StatsSource]>;
  /** A level (or its causes) changed: for `peerId`, or for our upload when `peerId` is `null`. */
  onChange: (peerId: string | null, report: QualityReport) => void;
  intervalMs?: number;
  visibility?: VisibilitySource;
}

interface Watched {
  source: StatsSource;
  counters: Counters | null;
  tracker: QualityTracker;
  /** This connection's upload, as judged by the last sample. */
  upload: QualityReport | null;
}

export class QualityMonitor {
  private readonly watched = new Map<string, Watched>();
  private readonly self = new QualityTracker();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  /** Bumped by stop and by hiding: a tick still awaiting getStats then reports nothing. */
  private generation = 0;
  private readonly intervalMs: number;
  private readonly visibility: VisibilitySource | undefined;

  constructor(private readonly options: QualityMonitorOptions) {
    this.intervalMs = options.intervalMs ?? QUALITY_INTERVAL_MS;
    this.visibility = options.visibility ?? (typeof document === 'undefined' ? undefined : document);
  }

  /** The level shown for `peerId`, or for our upload (`null`). */
  get(peerId: string | null): QualityReport | null {
    return (peerId === null ? this.self : this.watched.get(peerId)?.tracker)?.report ?? null;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.visibility?.addEventListener('visibilitychange', this.onVisibility);
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    this.generation++;
    this.visibility?.removeEventListener('visibilitychange', this.onVisibility);
    this.clearTimer();
    this.watched.clear();
    this.self.report = null;
  }

  /** Reads every connection once, now (the timer calls it; tests may too). */
  async tick(): Promise<void> {
    const generation = this.generation;
    const current = [...this.options.connections()];
    const read = await Promise.all(
      current.map(async ([peerId, source]) => {
        if (source.connectionState === 'closed') return null;
        const report = await source.getStats().catch(() => null);
        return report ? ([peerId, source, report] as const) : null;
      }),
    );
    if (generation !== this.generation) return;
    const present = new Set(current.map(([peerId]) => peerId));
    for (const peerId of this.watched.keys()) if (!present.has(peerId)) this.watched.delete(peerId);

    for (const entry of read) {
      if (!entry) continue;
      const [peerId, source, report] = entry;
      let watched = this.watched.get(peerId);
      if (!watched) this.watched.set(peerId, (watched = { source, counters: null, tracker: new QualityTracker(), upload: null }));
      // a fresh connection to the same peer (a repair): its counters start from zero
      if (watched.source !== source) (watched.source = source), (watched.counters = null);
      const { sample, counters } = readSample(report, watched.counters);
      const first = watched.counters === null;
      watched.counters = counters;
      if (first && sample.rttMs === undefined && sample.bitrateOutKbps === undefined) continue; // nothing measured yet
      if (watched.tracker.update(judge(sample, watched.tracker.level))) this.options.onChange(peerId, watched.tracker.report!);
      watched.upload = judge(sample, this.self.level, 'upload');
    }

    // our upload is as good as our best connection's: one remote on a weak network makes
    // its own connection poor, but only our own network makes every connection poor
    let best: QualityReport | null = null;
    for (const { upload } of this.watched.values()) if (upload && (!best || RANK[upload.level] < RANK[best.level])) best = upload;
    if (!best) this.self.report = null; // alone in the call: nothing to say about our upload
    else if (this.self.update(best)) this.options.onChange(null, this.self.report!);
  }

  private readonly onVisibility = () => {
    if (!this.running) return;
    this.clearTimer();
    this.generation++;
    if (this.visibility?.hidden) {
      // counted across the hidden time, loss and drops would mean nothing: start over
      for (const watched of this.watched.values()) watched.counters = null;
    } else this.schedule(0);
  };

  private schedule(delay: number): void {
    if (!this.running || this.visibility?.hidden) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const generation = this.generation;
      void this.tick().finally(() => {
        if (generation === this.generation) this.schedule(this.intervalMs);
      });
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
