// Good / fair / poor for a connection, from the figures of stats-sample.ts, with the
// reasons as data (a tile's title lists them). Two kinds of hysteresis keep it from
// flickering: a level once reached is left only when the figure is clearly back (its
// limit relaxed by RELAX), and a new level must hold for several samples in a row (sooner
// for worse, later for better).
import type { QualityLevel } from '../protocol/vocabulary.js';
import type { StatsSample } from './stats-sample.js';

export type { QualityLevel };

/** What made a connection less than good; `value` is in `unit` (rounded). */
export interface QualityReason {
  metric: 'round-trip-time' | 'packet-loss-in' | 'packet-loss-out' | 'bitrate-out' | 'bitrate-in' | 'frames-dropped';
  level: Exclude<QualityLevel, 'good'>;
  value: number;
  unit: 'ms' | '%' | 'kbit/s';
}

export interface QualityReport {
  level: QualityLevel;
  /** Empty when good; the worst first. */
  reasons: QualityReason[];
}

interface Limit {
  metric: QualityReason['metric'];
  unit: QualityReason['unit'];
  /** The figure, in `unit`; `undefined` when not measured. */
  read: (s: StatsSample) => number | undefined;
  fair: number;
  poor: number;
  /** `true` when a smaller figure is worse (bitrate). */
  lowIsBad?: boolean;
  /** Says something about our upload (what our own tile shows). */
  upload?: boolean;
}

const percent = (fraction: number | undefined) => (fraction === undefined ? undefined : fraction * 100);

// The usual figures for interactive calls: ITU-T G.114 puts comfortable one-way delay
// near 150 ms (so 300 ms round trip); a few percent loss is heard and seen. Bitrate
// limits are fractions of what the media needs (NEEDED_KBPS): video, or audio alone.
export const LIMITS: readonly Limit[] = [
  { metric: 'round-trip-time', unit: 'ms', read: s => s.rttMs, fair: 300, poor: 700, upload: true },
  { metric: 'packet-loss-out', unit: '%', read: s => percent(s.lossOut), fair: 3, poor: 10, upload: true },
  { metric: 'packet-loss-in', unit: '%', read: s => percent(s.lossIn), fair: 3, poor: 10 },
  { metric: 'bitrate-out', unit: 'kbit/s', read: s => s.bitrateOutKbps, fair: 1, poor: 0.4, lowIsBad: true, upload: true },
  { metric: 'bitrate-in', unit: 'kbit/s', read: s => s.bitrateInKbps, fair: 1, poor: 0.4, lowIsBad: true },
  { metric: 'frames-dropped', unit: '%', read: s => percent(s.framesDropped), fair: 10, poor: 30 },
];

/** Kbit/s a connection needs to be good: enough for video when video flows that way, else audio. */
export const NEEDED_KBPS = { video: 250, audio: 40 };

/** A level once reached is left when the figure is this much better than the limit. */
export const RELAX = 0.8;

/** Best first: a higher rank is worse. */
export const RANK: Record<QualityLevel, number> = { good: 0, fair: 1, poor: 2 };
const worse = (a: QualityLevel, b: QualityLevel) => (RANK[a] >= RANK[b] ? a : b);

/**
 * The level the figures of one sample show. `current` is the level shown now (relaxes
 * the limits of that level and better); `side` picks the upload figures only (our own
 * tile) or everything (a remote participant's tile).
 */
export function judge(sample: StatsSample, current: QualityLevel | null = null, side: 'all' | 'upload' = 'all'): QualityReport {
  const reasons: QualityReason[] = [];
  let level: QualityLevel = 'good';
  for (const limit of LIMITS) {
    if (side === 'upload' && !limit.upload) continue;
    let value = limit.read(sample);
    if (value === undefined) continue;
    let scale = 1;
    if (limit.metric === 'bitrate-out' || limit.metric === 'bitrate-in') {
      const video = limit.metric === 'bitrate-out' ? sample.sendingVideo : sample.receivingVideo;
      scale = video ? NEEDED_KBPS.video : NEEDED_KBPS.audio;
    }
    const reached = (edge: QualityLevel, threshold: number) => {
      // holding a level at least this bad: the figure must be clearly better to leave it
      const held = current !== null && RANK[current] >= RANK[edge];
      const t = threshold * scale * (held ? (limit.lowIsBad ? 1 / RELAX : RELAX) : 1);
      return limit.lowIsBad ? value! < t : value! >= t;
    };
    const metricLevel: QualityLevel = reached('poor', limit.poor) ? 'poor' : reached('fair', limit.fair) ? 'fair' : 'good';
    if (metricLevel === 'good') continue;
    value = Math.round(value);
    reasons.push({ metric: limit.metric, level: metricLevel, value, unit: limit.unit });
    level = worse(level, metricLevel);
  }
  reasons.sort((a, b) => RANK[b.level] - RANK[a.level]);
  return { level, reasons };
}

/** Samples in a row a new level must show before it is shown: worse sooner than better. */
export const CONFIRM = { worse: 2, better: 3 };

/** The level shown for one connection, moved by judged samples with hysteresis. */
export class QualityTracker {
  report: QualityReport | null = null;
  private candidate: QualityLevel | null = null;
  private seen = 0;

  /** The level the next judgement starts from (relaxes its limits). */
  get level(): QualityLevel | null {
    return this.report?.level ?? null;
  }

  /** A judged sample; `true` when the shown level or the set of its reasons changed. */
  update(judged: QualityReport): boolean {
    const shown = this.report;
    if (!shown) {
      this.report = judged; // the first judgement is shown at once: nothing to flicker from
      return true;
    }
    if (judged.level === shown.level) {
      this.candidate = null;
      this.seen = 0;
      const sameCauses = metrics(judged) === metrics(shown);
      this.report = judged; // fresh figures for the title
      return !sameCauses;
    }
    if (judged.level !== this.candidate) {
      this.candidate = judged.level;
      this.seen = 0;
    }
    this.seen++;
    if (this.seen < (RANK[judged.level] > RANK[shown.level] ? CONFIRM.worse : CONFIRM.better)) return false;
    this.report = judged;
    this.candidate = null;
    this.seen = 0;
    return true;
  }
}

const metrics = (r: QualityReport) => r.reasons.map(x => x.metric).sort().join();
