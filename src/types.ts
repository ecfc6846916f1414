// Public types the element's declarations name, and the two predicates over the call's
// state that every layer uses (inCall, inRoom). Kept free of SDK imports so a consumer's
// type check never loads @metered-ca/realtime's own .d.ts (1.2.0's names an undeclared
// `RemotePeerInit`, which fails consumers that compile with skipLibCheck off).

/** One remote participant as the element renders it. */
export interface RemoteTile {
  peerId: string;
  stream: MediaStream | null;
  /** Their shared screen (a track sent with metadata `role: "screen"`), while they share. */
  screen: MediaStream | null;
  /** `connecting` until media flows, `unreachable` after repeated failed restarts. */
  connection: 'connecting' | 'connected' | 'reconnecting' | 'unreachable';
}

/**
 * The call's state, reflected as the element's `state` attribute:
 * `idle` → `joining` → `joined` ⇄ `reconnecting` → `left`; any failure → `error`.
 * (In this code base "state" alone always means this; what a participant sends is their
 * "media state", `MediaState` in protocol/messages.ts.)
 */
export type CallState = 'idle' | 'joining' | 'joined' | 'reconnecting' | 'left' | 'error';

/**
 * In a call: joining it, in it, or getting back into it. The element shows the call
 * screen, `leave()` has something to end, and a new `room` moves the call.
 */
export function inCall(state: CallState): boolean {
  return state === 'joining' || state === 'joined' || state === 'reconnecting';
}

/**
 * In the room: joined, or reconnecting to it — the others can see us (media flows or is
 * being restored; screen sharing and the active speaker run).
 */
export function inRoom(state: CallState): boolean {
  return state === 'joined' || state === 'reconnecting';
}

/**
 * Tuning of the element's recovery behaviour (the `resilience` property). Every field is
 * optional; the defaults suit production. Tests shorten them.
 */
export interface ResilienceOptions {
  /** Signalling reconnect backoff (the SDK's `reconnect` option): first delay, ms. Default 500. */
  reconnectInitialDelayMs?: number;
  /** Longest delay between reconnect attempts, ms. Default 30000. */
  reconnectMaxDelayMs?: number;
  /** Reconnect attempts before giving up (`connection-lost`). Default 100 (~50 minutes). */
  reconnectMaxAttempts?: number;
  /** Renew TURN credentials when this fraction of their lifetime is left. Default 0.5 (capped at 30 minutes before expiry). */
  turnRenewMargin?: number;
  /** Lifetime (seconds) of TURN credentials whose username carries no expiry. Default: such credentials are not renewed. */
  turnLifetimeSeconds?: number;
  /** Backoff of a failed TURN renewal: first retry, ms. Default 2000 (doubling). */
  turnRetryInitialMs?: number;
  /** Longest wait between TURN renewal retries, ms. Default 60000. */
  turnRetryMaxMs?: number;
  /** How long after joining to wait for the room's presence snapshot before assuming it is not full, ms. Default 5000. */
  snapshotTimeoutMs?: number;
}
