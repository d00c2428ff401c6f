import { BackoffOptions, backoffDelay } from '../backoff';
import { StateListeners } from '../state-listeners';
import { RtpengineRepository } from './rtpengine.repository';

export type RtpengineState = 'up' | 'down';

export interface RtpengineSupervisorOptions {
  /** Between pings while rtpengine answers. */
  intervalMs: number;
  /** Between pings while it does not, growing per failure (with jitter). */
  backoff: BackoffOptions;
}

export const DEFAULT_RTPENGINE_SUPERVISION: RtpengineSupervisorOptions = {
  intervalMs: 5_000,
  backoff: { initialMs: 500, maxMs: 10_000 },
};

/**
 * Pings rtpengine and says whether it is up. It starts 'down': no call is placed before rtpengine has
 * answered once. One failed ping (a ping already waits for the repository's timeout) takes it down;
 * while down it pings again with growing, jittered delays, and the first pong brings it back up.
 */
export class RtpengineSupervisor {
  private current: RtpengineState = 'down';
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private readonly listeners = new StateListeners<RtpengineState>();

  constructor(
    private readonly rtpengine: RtpengineRepository,
    private readonly options: RtpengineSupervisorOptions = DEFAULT_RTPENGINE_SUPERVISION,
    private readonly random: () => number = Math.random,
  ) {}

  get state(): RtpengineState {
    return this.current;
  }

  /** Consecutive failed pings (0 while up). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  onStateChange(listener: (state: RtpengineState) => void): () => void {
    return this.listeners.add(listener);
  }

  /** Pings at once, then keeps pinging until stop(). */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops pinging; waits for a ping under way. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /** One ping now, outside the schedule (a health check asked for a fresh answer). */
  async check(): Promise<RtpengineState> {
    if (!this.inFlight) {
      this.inFlight = this.probe().finally(() => {
        this.inFlight = null;
      });
    }
    await this.inFlight;
    return this.current;
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check().then(() => this.schedule(this.nextDelay()));
    }, delayMs);
  }

  private nextDelay(): number {
    return this.failures === 0 ? this.options.intervalMs : backoffDelay(this.failures - 1, this.options.backoff, this.random);
  }

  private async probe(): Promise<void> {
    try {
      await this.rtpengine.ping();
      this.failures = 0;
      this.set('up');
    } catch {
      this.failures += 1;
      this.set('down');
    }
  }

  private set(state: RtpengineState): void {
    if (state === this.current) return;
    this.current = state;
    this.listeners.emit(state);
  }
}
