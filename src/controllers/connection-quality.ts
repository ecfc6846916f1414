// Connection quality in the element: the QualityMonitor (call/quality-monitor.ts) reads the
// session's connections while we are in the room, and each change it reports becomes a
// `quality-change` event and a re-render (the tiles and the people panel read `report()`).
// Our own upload's level is also told to the room (`onOwnLevel`), so the others can tell a
// weak network of ours from theirs.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { emit } from '../events.js';
import type { QualityReport } from '../call/connection-quality.js';
import { QualityMonitor } from '../call/quality-monitor.js';
import type { QualityLevel } from '../protocol/vocabulary.js';

export class ConnectionQuality implements ReactiveController {
  private readonly connections = new Map<string, RTCPeerConnection>();
  private readonly monitor = new QualityMonitor({
    connections: () => this.connections,
    onChange: (peerId, report) => this.changed(peerId, report),
  });

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Our peer id in the call (the `peerId` of our own `quality-change`). */
    private readonly selfId: () => string | null,
    /** Our upload's level changed. */
    private readonly onOwnLevel: (level: QualityLevel) => void,
  ) {
    host.addController(this);
  }

  /** The level shown for `peerId`, or for our upload (`null`); `null` until measured. */
  report(peerId: string | null): QualityReport | null {
    return this.monitor.get(peerId);
  }

  /** The session's hook (CallSessionOptions.onConnection): a connection came or went. */
  onConnection(peerId: string, pc: RTCPeerConnection | null): void {
    if (pc) this.connections.set(peerId, pc);
    else this.connections.delete(peerId);
  }

  /** In the room: measure. */
  start(): void {
    this.monitor.start();
  }

  /** Out of the room: no timer, nothing kept. */
  stop(): void {
    this.monitor.stop();
    this.connections.clear();
  }

  // moved in the page, the call goes on: the timer stops while the element is out of it
  hostConnected(): void {
    if (this.connections.size) this.monitor.start();
  }

  hostDisconnected(): void {
    this.monitor.stop();
  }

  private changed(peerId: string | null, report: QualityReport): void {
    if (peerId === null) this.onOwnLevel(report.level);
    this.host.requestUpdate();
    emit(this.host, 'quality-change', { peerId: peerId ?? this.selfId() ?? '', quality: report.level, reasons: report.reasons, self: peerId === null });
  }
}
