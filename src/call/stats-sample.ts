// Turns one RTCPeerConnection's getStats() report into the few figures connection quality
// is judged on. Loss and dropped frames are counters: they are read as the change since
// the previous report of the same connection (`Counters`), so the first report gives only
// round-trip time and available bitrate. Works with Chromium's and Firefox's reports;
// whatever a browser does not report is left out, never guessed.

/** The figures of one connection over the last interval; absent when not measured. */
export interface StatsSample {
  /** Round-trip time, ms. */
  rttMs?: number;
  /** Fraction (0–1) of the packets sent to us that were lost. */
  lossIn?: number;
  /** Fraction (0–1) of our packets the other side reports lost (its RTCP receiver reports). */
  lossOut?: number;
  /** The browser's estimate of what we can send / receive on this connection, kbit/s. */
  bitrateOutKbps?: number;
  bitrateInKbps?: number;
  /** Fraction (0–1) of received video frames we dropped instead of showing. */
  framesDropped?: number;
  /** Whether video flows each way (the bitrate needed depends on it). */
  sendingVideo: boolean;
  receivingVideo: boolean;
}

/** Cumulative counters of the previous report, to take differences from. */
export interface Counters {
  received: number;
  lost: number;
  framesReceived: number;
  framesDropped: number;
  bytesSentVideo: number;
  bytesReceivedVideo: number;
}

/** What `RTCStatsReport` and a `Map` of recorded stats both offer. */
export interface StatsReportLike {
  forEach(callback: (stats: Record<string, unknown>) => void): void;
}

/** Fewer packets than this in an interval say nothing about loss. */
const MIN_PACKETS_FOR_LOSS = 20;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

export function readSample(report: StatsReportLike, previous: Counters | null): { sample: StatsSample; counters: Counters } {
  const all: Record<string, unknown>[] = [];
  report.forEach(stats => all.push(stats));
  const byId = new Map(all.map(s => [s.id, s]));

  // the candidate pair in use: the transport names it (both browsers); else the nominated, succeeded one
  const transport = all.find(s => s.type === 'transport' && s.selectedCandidatePairId);
  const pair =
    (transport && byId.get(transport.selectedCandidatePairId)) ??
    all.find(s => s.type === 'candidate-pair' && (s.selected === true || (s.nominated === true && s.state === 'succeeded')));

  const counters: Counters = { received: 0, lost: 0, framesReceived: 0, framesDropped: 0, bytesSentVideo: 0, bytesReceivedVideo: 0 };
  const remoteRtts: number[] = [];
  let lossOut: number | undefined;
  for (const s of all) {
    if (s.type === 'inbound-rtp') {
      counters.received += num(s.packetsReceived) ?? 0;
      counters.lost += Math.max(0, num(s.packetsLost) ?? 0); // negative with duplicates
      if (s.kind === 'video') {
        counters.framesReceived += num(s.framesReceived) ?? 0;
        counters.framesDropped += num(s.framesDropped) ?? 0;
        counters.bytesReceivedVideo += num(s.bytesReceived) ?? 0;
      }
    } else if (s.type === 'outbound-rtp' && s.kind === 'video') {
      counters.bytesSentVideo += num(s.bytesSent) ?? 0;
    } else if (s.type === 'remote-inbound-rtp') {
      const fraction = num(s.fractionLost);
      if (fraction !== undefined) lossOut = Math.max(lossOut ?? 0, fraction);
      const rtt = num(s.roundTripTime);
      if (rtt !== undefined) remoteRtts.push(rtt);
    }
  }

  const sample: StatsSample = { sendingVideo: false, receivingVideo: false };
  const pairRtt = num(pair?.currentRoundTripTime);
  // Firefox's candidate pairs carry no RTT: its RTCP one is as good
  const rtt = pairRtt ?? (remoteRtts.length ? Math.max(...remoteRtts) : undefined);
  if (rtt !== undefined) sample.rttMs = rtt * 1000;
  const outKbps = num(pair?.availableOutgoingBitrate);
  if (outKbps !== undefined) sample.bitrateOutKbps = outKbps / 1000;
  const inKbps = num(pair?.availableIncomingBitrate);
  if (inKbps !== undefined) sample.bitrateInKbps = inKbps / 1000;
  if (lossOut !== undefined) sample.lossOut = lossOut;

  if (previous) {
    const received = counters.received - previous.received;
    const lost = counters.lost - previous.lost;
    if (received >= 0 && lost >= 0 && received + lost >= MIN_PACKETS_FOR_LOSS) sample.lossIn = lost / (received + lost);
    const frames = counters.framesReceived - previous.framesReceived;
    const dropped = counters.framesDropped - previous.framesDropped;
    if (frames > 0 && dropped >= 0) sample.framesDropped = Math.min(1, dropped / frames);
    sample.sendingVideo = counters.bytesSentVideo > previous.bytesSentVideo;
    sample.receivingVideo = counters.bytesReceivedVideo > previous.bytesReceivedVideo;
  }
  return { sample, counters };
}
