// What keeps one call alive and bounded, wired into the CallSession through a few hooks:
// signalling health (terminal closes the SDK would retry forever, the room snapshot),
// TURN renewal, whether the room has a seat for us (`max-peers`; who gets a seat once we
// are in is the roster's, call/roster.ts), and the SDK options they need.
import type { MeteredPeer, MeteredPeerOptions } from '@metered-ca/realtime';
import { MeteredCallError } from '../errors.js';
import { SignallingHealth } from './signalling-health.js';
import type { IceServerSet, TurnSource } from './turn-credentials.js';
import type { ResilienceOptions } from '../types.js';
import { TurnRenewal } from './turn-renewal.js';

/** Default `max-peers`: the practical limit of a mesh call (every participant sends to every other). */
export const DEFAULT_MAX_PEERS = 6;

export type { ResilienceOptions } from '../types.js';

export interface ResilienceHooks {
  /** The call must end with `error` (teardown is the session's). */
  onTerminal(error: MeteredCallError): void;
  /** A non-fatal problem to show, or `null` when it is over. */
  onNotice(error: MeteredCallError | null): void;
}

export interface ResilienceConfig {
  room: string;
  maxPeers: number;
  iceTransportPolicy: RTCIceTransportPolicy;
  turn: TurnSource;
  options: ResilienceOptions;
}

/** A valid `max-peers` value: an integer of at least 1 (else the default). */
export function normalizeMaxPeers(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, 256) : DEFAULT_MAX_PEERS;
}

export class Resilience {
  readonly health: SignallingHealth;
  readonly renewal: TurnRenewal;
  private peer: MeteredPeer | null = null;
  private full = false;

  constructor(
    private readonly config: ResilienceConfig,
    ice: IceServerSet,
    hooks: ResilienceHooks,
    fetchedAt = Date.now(),
  ) {
    this.health = new SignallingHealth({
      room: config.room,
      onTerminal: err => hooks.onTerminal(err),
      // decided before the SDK turns the snapshot into peer-joined events: a refused
      // joiner shows no one and starts nothing it would have to take back
      onSnapshot: s => (this.full = s.others.length + 1 > config.maxPeers),
    });
    const o = config.options;
    this.renewal = new TurnRenewal(
      ice,
      config.turn,
      {
        connections: () => (this.peer?.remotePeers ?? []).map(r => r.pc as RTCPeerConnection),
        onTrouble: err => hooks.onNotice(err),
        onRenewed: (_set, restarted) =>
          console.debug(`<metered-call> TURN credentials renewed${restarted ? `; ICE restarted on ${restarted} connection(s)` : ''}`),
      },
      {
        ...(o.turnRenewMargin !== undefined ? { margin: o.turnRenewMargin } : {}),
        ...(o.turnLifetimeSeconds !== undefined ? { lifetimeSeconds: o.turnLifetimeSeconds } : {}),
        ...(o.turnRetryInitialMs !== undefined ? { retryInitialMs: o.turnRetryInitialMs } : {}),
        ...(o.turnRetryMaxMs !== undefined ? { retryMaxMs: o.turnRetryMaxMs } : {}),
      },
      fetchedAt,
    );
  }

  /** SDK options: the socket factory that watches signalling, and the reconnect backoff. */
  peerOptions(): Pick<MeteredPeerOptions, 'webSocketFactory' | 'reconnect'> {
    const o = this.config.options;
    return {
      webSocketFactory: this.health.factory,
      reconnect: {
        ...(o.reconnectInitialDelayMs !== undefined ? { initialDelayMs: o.reconnectInitialDelayMs } : {}),
        ...(o.reconnectMaxDelayMs !== undefined ? { maxDelayMs: o.reconnectMaxDelayMs } : {}),
        ...(o.reconnectMaxAttempts !== undefined ? { maxAttempts: o.reconnectMaxAttempts } : {}),
      },
    };
  }

  /** The RTCConfiguration members every new connection gets: current TURN credentials, transport policy. */
  connectionConfig(): Pick<RTCConfiguration, 'iceServers' | 'iceTransportPolicy'> {
    return { iceServers: this.renewal.current.iceServers, iceTransportPolicy: this.config.iceTransportPolicy };
  }

  /**
   * After `join()` resolved: waits for the room's snapshot and refuses the call with
   * `room-full` when the others already fill `max-peers` seats.
   */
  async checkRoom(): Promise<void> {
    const snapshot = await this.health.waitForSnapshot(this.config.options.snapshotTimeoutMs ?? 5000);
    if (!snapshot) {
      console.warn('<metered-call> no presence snapshot after joining; max-peers not checked');
      return;
    }
    if (this.full) {
      throw new MeteredCallError('room-full', {
        detail: `max-peers ${this.config.maxPeers}; ${snapshot.others.length} already in the room`,
      });
    }
  }

  /** The call is on: renew TURN credentials from now on. */
  start(peer: MeteredPeer): void {
    this.peer = peer;
    this.renewal.start();
  }

  /** The room's snapshot had no seat left for us (`max-peers`): we are being refused. */
  get refused(): boolean {
    return this.full;
  }

  stop(): void {
    this.health.stop();
    this.renewal.stop();
    this.peer = null;
  }
}
