// The plain SDK's own glare stall, recognised by its signature, so that a test of the plain
// SDK may try once more for that cause and no other. Both sides offer at once; after the
// polite side's rollback the connection is negotiated (stable, with a remote description)
// but ICE never starts: connectionState stays "new" for good, and the SDK, which restarts
// ICE only on "failed", never recovers (the element works around it; see docs/reliability.md).

/** A description of the stall if `pc` shows it, `null` for any other state. */
export function sdkGlareStall(pc: RTCPeerConnection | null | undefined): string | null {
  if (!pc) return null;
  const stalled = pc.connectionState === 'new' && pc.signalingState === 'stable' && pc.remoteDescription !== null;
  return stalled ? `negotiated (signalingState stable) but ICE never started (connectionState ${pc.connectionState}, iceGatheringState ${pc.iceGatheringState})` : null;
}

/**
 * Runs `attempt`; when it fails and the connection it reports through `watch` shows the
 * SDK's glare stall, logs why and runs it once more (fresh room, fresh page: the attempt's
 * own job). Any other failure, or a second stall, fails the test.
 */
export async function onceMoreOnSdkStall<T>(what: string, attempt: (watch: (pc: RTCPeerConnection) => void) => Promise<T>): Promise<T> {
  let pc: RTCPeerConnection | null = null;
  try {
    return await attempt(p => (pc = p));
  } catch (err) {
    const stall = sdkGlareStall(pc);
    if (!stall) throw err;
    console.warn(`${what}: the plain SDK's glare stall (${stall}); one more attempt in a new room`);
    return attempt(() => {});
  }
}
