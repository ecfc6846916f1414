// Per-connection inbound rate limit: a token bucket, so short bursts (an SDP offer
// followed by a trickle of ICE candidates) pass while a sustained flood does not.

export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;

  constructor(private readonly perSecond: number, burstFactor = 2) {
    this.capacity = Math.max(perSecond * burstFactor, 10);
    this.tokens = this.capacity;
    this.last = performance.now();
  }

  /** Takes one token; false when the bucket is empty (the caller closes with 4011). */
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
