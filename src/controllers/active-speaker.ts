// Who is speaking. Remote levels come from the receivers: every audio RTP packet carries
// its sender's level (RFC 6464), which RTCRtpReceiver.getSynchronizationSources() returns
// without any audio processing on our side — no AudioContext, no analyser per track. Our
// own microphone has no receiver, so it keeps one AnalyserNode (reading one analyser is
// cheaper than polling getStats for a sender's level), started only once someone else is
// in the call and the page is idle: an AudioContext opens the audio device, which a first
// frame does not need. One timer reads everything; the element re-renders only when who
// speaks changes. Nothing runs while the tab is hidden.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Short enough to catch a syllable's packet, and each read is a few property lookups per receiver. */
const TICK_MS = 80;
/** Level above which a participant counts as speaking (about −40 dBov; the same for both sources). */
const THRESHOLD = 0.01;
/** Speech pauses shorter than this do not end "speaking". */
const HOLD_MS = 900;
/** A receiver's level older than this is silence (no packets: muted, or gone). */
const STALE_MS = 1000;

interface Meter {
  track: MediaStreamTrack;
  /** remote: where the levels come from */
  receiver: RTCRtpReceiver | null;
  /** local: the one analyser */
  source: MediaStreamAudioSourceNode | null;
  analyser: AnalyserNode | null;
  heard: number;
  level: number;
  /** remote: the newest packet's RTP timestamp, and when (our clock) it last changed */
  rtp: number;
  rtpAt: number;
}

export class ActiveSpeaker implements ReactiveController {
  /** Keys (peer ids, or `local`) speaking now. */
  speaking = new Set<string>();
  /** The remote participant who spoke last (and loudest), kept until someone else speaks. */
  active: string | null = null;
  private ctx: AudioContext | null = null;
  private readonly meters = new Map<string, Meter>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private buffer: Float32Array<ArrayBuffer> = new Float32Array(512);
  /** cancels the pending start of our own meter */
  private cancelLocal: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The audio track to watch per key (`local` for ours); called after every render. */
    private readonly tracks: () => Map<string, MediaStreamTrack>,
    /** The receiver that delivers a remote key's track, or null while there is none. */
    private readonly receiverOf: (key: string, track: MediaStreamTrack) => RTCRtpReceiver | null = () => null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    document.addEventListener('visibilitychange', this.sync);
    // a context the browser kept suspended (no gesture yet) starts on the visitor's next one
    this.host.addEventListener('pointerdown', this.onGesture);
    this.host.addEventListener('keydown', this.onGesture);
  }

  hostDisconnected(): void {
    document.removeEventListener('visibilitychange', this.sync);
    this.host.removeEventListener('pointerdown', this.onGesture);
    this.host.removeEventListener('keydown', this.onGesture);
    this.stop();
  }

  private readonly onGesture = () => {
    if (this.ctx?.state === 'suspended' && document.visibilityState !== 'hidden') this.resume();
  };

  hostUpdated(): void {
    this.sync();
  }

  /** Lets the context run (call from a click: browsers start audio only after a gesture). */
  resume(): void {
    void this.ctx?.resume().catch(() => {});
  }

  /** Forgets every meter and closes the context. */
  stop(): void {
    this.cancelLocal?.();
    this.cancelLocal = null;
    for (const key of [...this.meters.keys()]) this.drop(key);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.speaking.clear();
    this.active = null;
  }

  private readonly sync = () => {
    const wanted = this.tracks();
    for (const [key, meter] of this.meters) {
      // a remote meter without a receiver yet looks again at every render
      if (wanted.get(key) !== meter.track || (key !== 'local' && !meter.receiver)) this.drop(key);
    }
    const visible = document.visibilityState !== 'hidden';
    if (visible) {
      for (const [key, track] of wanted) {
        if (this.meters.has(key) || track.readyState !== 'live') continue;
        if (key === 'local') {
          if (wanted.size > 1) this.meterLocalSoon(track);
        } else this.meters.set(key, { track, receiver: this.receiverOf(key, track), source: null, analyser: null, heard: 0, level: 0, rtp: -1, rtpAt: 0 });
      }
    }
    if (wanted.size === 0 && this.ctx) {
      // out of the call: nothing of the context stays alive
      void this.ctx.close().catch(() => {});
      this.ctx = null;
      this.active = null;
    }
    const run = visible && this.meters.size > 0;
    if (run && !this.timer) {
      this.resume();
      this.timer = setInterval(this.tick, TICK_MS);
    } else if (!run && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      if (!visible) void this.ctx?.suspend().catch(() => {});
    }
  };

  /** Starts our own meter when the page is next idle (not while the call is being set up). */
  private meterLocalSoon(track: MediaStreamTrack): void {
    if (this.cancelLocal) return;
    const run = () => {
      this.cancelLocal = null;
      const still = this.tracks().get('local') === track && track.readyState === 'live';
      if (!still || this.meters.has('local') || document.visibilityState === 'hidden') return;
      this.meterLocal(track);
      this.sync();
    };
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(run, { timeout: 1000 });
      this.cancelLocal = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(run, 0);
      this.cancelLocal = () => clearTimeout(id);
    }
  }

  private meterLocal(track: MediaStreamTrack): void {
    if (typeof AudioContext === 'undefined') return;
    this.ctx ??= new AudioContext();
    const source = this.ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.meters.set('local', { track, receiver: null, source, analyser, heard: 0, level: 0, rtp: -1, rtpAt: 0 });
  }

  private drop(key: string): void {
    const meter = this.meters.get(key);
    if (!meter) return;
    meter.source?.disconnect();
    this.meters.delete(key);
    this.speaking.delete(key);
    if (this.active === key) this.active = null;
  }

  /** The level of one meter now, 0…1 (linear amplitude). */
  private level(m: Meter, now: number): number {
    if (m.analyser) {
      m.analyser.getFloatTimeDomainData(this.buffer);
      let sum = 0;
      for (const x of this.buffer) sum += x * x;
      return Math.sqrt(sum / this.buffer.length);
    }
    // the newest packet's level; a source that stopped sending (no new packet) is silent.
    // Staleness is judged on our own clock: the entries' timestamps are not on the same
    // timeline in every browser
    const source = m.receiver?.getSynchronizationSources()[0];
    if (!source || typeof source.audioLevel !== 'number') return 0;
    if (source.rtpTimestamp !== m.rtp) {
      m.rtp = source.rtpTimestamp;
      m.rtpAt = now;
    }
    return now - m.rtpAt < STALE_MS ? source.audioLevel : 0;
  }

  private readonly tick = () => {
    const now = performance.now();
    const speaking = new Set<string>();
    let loudest: string | null = null;
    let max = 0;
    for (const [key, m] of this.meters) {
      m.level = this.level(m, now);
      // a disabled (muted) track is silent by definition
      if (m.track.enabled && m.level > THRESHOLD) m.heard = now;
      if (now - m.heard < HOLD_MS) {
        speaking.add(key);
        if (key !== 'local' && m.level > max) {
          max = m.level;
          loudest = key;
        }
      }
    }
    // the current speaker keeps the spot while speaking; then the loudest; else the last one
    const current = this.active && this.meters.has(this.active) ? this.active : null;
    const active = current && speaking.has(current) ? current : (loudest ?? current);
    if (active !== this.active || speaking.size !== this.speaking.size || [...speaking].some(k => !this.speaking.has(k))) {
      this.active = active;
      this.speaking = speaking;
      this.host.requestUpdate();
    }
  };
}
