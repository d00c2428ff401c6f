/**
 * Calls-per-second limiting: tokens refill continuously at `ratePerSecond` up to `capacity`
 * (max(1, rate): a trunk limited to 0.5 cps still gets its one call, then waits two seconds). The
 * clock is injected and monotonic (milliseconds), so tests move it by hand.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  readonly capacity: number;

  constructor(
    readonly ratePerSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0) || !Number.isFinite(ratePerSecond)) throw new RangeError('rate must be a positive number');
    this.capacity = Math.max(1, ratePerSecond);
    this.tokens = this.capacity;
    this.last = now();
  }

  /** Takes one token if there is one. */
  tryTake(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens available now (fractional while refilling). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Milliseconds until a token will be available (0 if one is). */
  msUntilNext(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const now = this.now();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.ratePerSecond);
  }
}
