import { PacingStats } from './pacing.types';

export interface CallObservation {
  outcome: string;
  /** Seconds from placing the call to its answer (or to giving up). */
  ringSeconds: number;
  talkSeconds: number;
  wrapUpSeconds: number;
}

const WINDOW = 400;
/** Weight of the newest duration in the running means. */
const ALPHA = 0.05;

/**
 * A campaign's recent behaviour, for pacing: the answer rate over the last calls (a sliding window, so
 * a change in the list or the time of day shows within a few hundred calls) and running means of
 * ring, talk and wrap-up times. Deterministic: time is passed in, never read.
 */
export class PacingStatistics {
  private readonly outcomes: boolean[] = [];
  private liveAnswers = 0;
  private ring = 0;
  private talk = 0;
  private wrap = 0;
  private seeded = false;

  constructor(private readonly defaults: { ringSeconds: number; talkSeconds: number; wrapUpSeconds: number } = { ringSeconds: 15, talkSeconds: 120, wrapUpSeconds: 30 }) {
    this.ring = defaults.ringSeconds;
    this.talk = defaults.talkSeconds;
    this.wrap = defaults.wrapUpSeconds;
  }

  callPlaced(_at: Date): void {
    // Placed calls count when they end; kept for symmetry with the session's life cycle.
  }

  callEnded(_at: Date, o: CallObservation): void {
    const live = o.outcome === 'answered' || o.outcome === 'abandoned';
    this.outcomes.push(live);
    if (this.outcomes.length > WINDOW) this.outcomes.shift();
    if (!live) return;
    this.liveAnswers += 1;
    if (!this.seeded) {
      this.ring = o.ringSeconds;
      if (o.talkSeconds > 0) this.talk = o.talkSeconds;
      if (o.wrapUpSeconds > 0) this.wrap = o.wrapUpSeconds;
      this.seeded = true;
      return;
    }
    this.ring += ALPHA * (o.ringSeconds - this.ring);
    if (o.talkSeconds > 0) this.talk += ALPHA * (o.talkSeconds - this.talk);
    if (o.wrapUpSeconds > 0) this.wrap += ALPHA * (o.wrapUpSeconds - this.wrap);
  }

  snapshot(_at: Date): PacingStats {
    const answered = this.outcomes.filter(Boolean).length;
    return {
      answerRate: this.outcomes.length === 0 ? 0 : answered / this.outcomes.length,
      meanRingSeconds: this.ring,
      meanTalkSeconds: this.talk,
      meanWrapUpSeconds: this.wrap,
      liveAnswers: this.liveAnswers,
    };
  }
}
