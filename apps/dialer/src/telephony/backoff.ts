/** How long to wait before the next attempt at something that failed. */
export interface BackoffOptions {
  /** Delay before the first retry, before jitter. */
  initialMs: number;
  /** The delay never grows past this, before jitter. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000 };

/**
 * Exponential backoff with "equal jitter": the ceiling doubles per failed attempt (capped), and the
 * delay is drawn from its upper half. Several dialer instances that lost drachtio or rtpengine at the
 * same moment thus spread their reconnects instead of arriving together, while none waits less than
 * half the ceiling.
 *
 * `attempt` counts failures so far (0 for the first retry). `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const half = ceiling / 2;
  return Math.round(half + random() * half);
}
