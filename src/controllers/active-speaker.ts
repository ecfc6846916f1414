// Who is speaking, from audio levels measured with the Web Audio API: one AudioContext
// per element, one AnalyserNode per audio track, read a few times a second. Nothing runs
// while the tab is hidden (the timer stops and the context is suspended) or when there
// is no audio to watch.
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const TICK_MS = 150;
/** RMS of the waveform above which a track counts as speech (about −40 dBFS). */
const THRESHOLD = 0.01;
/** Speech pauses shorter than this do not end "speaking". */
const HOLD_MS = 900;

interface Meter {
  track: MediaStreamTrack;
  source: MediaStreamAudioSourceNode;
  analyser: AnalyserNode;
  heard: number;
  level: number;
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

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** The audio track to watch per key; called after every render. */
    private readonly tracks: () => Map<string, MediaStreamTrack>,
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
    for (const [key, meter] of this.meters) if (wanted.get(key) !== meter.track) this.drop(key);
    const visible = document.visibilityState !== 'hidden';
    if (visible && typeof AudioContext !== 'undefined') {
      for (const [key, track] of wanted) {
        if (this.meters.has(key) || track.readyState !== 'live') continue;
        this.ctx ??= new AudioContext();
        const source = this.ctx.createMediaStreamSource(new MediaStream([track]));
        const analyser = this.ctx.createAnalyser();
        analyser.fftSize = 512;
        source.connect(analyser);
        this.meters.set(key, { track, source, analyser, heard: 0, level: 0 });
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

  private drop(key: string): void {
    const meter = this.meters.get(key);
    if (!meter) return;
    meter.source.disconnect();
    this.meters.delete(key);
    this.speaking.delete(key);
    if (this.active === key) this.active = null;
  }

  private readonly tick = () => {
    const now = performance.now();
    const speaking = new Set<string>();
    let loudest: string | null = null;
    let max = 0;
    for (const [key, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(this.buffer);
      let sum = 0;
      for (const x of this.buffer) sum += x * x;
      m.level = Math.sqrt(sum / this.buffer.length);
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
