import { ObservedOutcome, PacingStats } from './pacing.types';

/** What became of one call, as the dialer learns it when the call ends. */
export interface CallObservation {
  outcome: ObservedOutcome;
  /** Seconds from placing the call to its answer (or to its end when it was never answered). */
  ringSeconds: number;
  /** Seconds the customer talked with an agent (0 when no agent was connected). */
  talkSeconds: number;
  /** Seconds of the agent's wrap-up after the call (0 when no agent was connected). */
  wrapUpSeconds: number;
}

export interface PacingStatisticsOptions {
  /** An observation weighs half as much after this many seconds (default an hour; 0 never decays). */
  halfLifeSeconds?: number;
}

const DEFAULT_HALF_LIFE_SECONDS = 3600;

type Sum =
  | 'placed'
  | 'ended'
  | 'live'
  | 'machine'
  | 'abandoned'
  | 'liveRing'
  | 'liveRingSq'
  | 'talkN'
  | 'talk'
  | 'talkLog'
  | 'talkLogSq'
  | 'wrapN'
  | 'wrap';

/**
 * One campaign's call statistics with exponential decay: answer rates and talk times drift through
 * the day (morning answering machines, evening households), so the last hour should count more than
 * the morning. Decay by time rather than by count also means the statistics of a campaign left idle
 * for hours fade out, and pacing goes back to learning in progressive mode instead of trusting
 * yesterday's figures. Time is always passed in, so the simulation and the tests are deterministic.
 */
export class PacingStatistics {
  private readonly halfLifeMs: number;
  private readonly sums: Record<Sum, number> = {
    placed: 0,
    ended: 0,
    live: 0,
    machine: 0,
    abandoned: 0,
    liveRing: 0,
    liveRingSq: 0,
    talkN: 0,
    talk: 0,
    talkLog: 0,
    talkLogSq: 0,
    wrapN: 0,
    wrap: 0,
  };
  private lastMs: number | null = null;

  constructor(options: PacingStatisticsOptions = {}) {
    this.halfLifeMs = (options.halfLifeSeconds ?? DEFAULT_HALF_LIFE_SECONDS) * 1000;
  }

  callPlaced(at: Date): void {
    this.add(at, { placed: 1 });
  }

  callEnded(at: Date, o: CallObservation): void {
    // A call we cancelled ourselves says nothing about how customers answer.
    if (o.outcome === 'canceled') return;
    const live = o.outcome === 'answered' || o.outcome === 'abandoned';
    // A customer who hangs up as soon as the agent is on is still a (very short) handled call.
    const connected = o.outcome === 'answered';
    const talk = Math.max(0, o.talkSeconds);
    const logTalk = Math.log(Math.max(1, talk));
    const ring = Math.max(0, o.ringSeconds);
    this.add(at, {
      ended: 1,
      live: live ? 1 : 0,
      machine: o.outcome === 'machine' ? 1 : 0,
      abandoned: o.outcome === 'abandoned' ? 1 : 0,
      liveRing: live ? ring : 0,
      liveRingSq: live ? ring * ring : 0,
      talkN: connected ? 1 : 0,
      talk: connected ? talk : 0,
      talkLog: connected ? logTalk : 0,
      talkLogSq: connected ? logTalk * logTalk : 0,
      wrapN: connected ? 1 : 0,
      wrap: connected ? Math.max(0, o.wrapUpSeconds) : 0,
    });
  }

  /** The statistics as of `at` (counts decayed to that moment). */
  snapshot(at: Date): PacingStats {
    const s = this.sums;
    const decay = this.lastMs === null ? 1 : this.factor(at.getTime() - this.lastMs);
    const meanTalk = s.talkN > 0 ? s.talk / s.talkN : 0;
    const meanRing = s.live > 0 ? s.liveRing / s.live : 0;
    return {
      callsPlaced: s.placed * decay,
      callsEnded: s.ended * decay,
      liveAnswers: s.live * decay,
      liveAnswerRate: s.ended > 0 ? s.live / s.ended : 0,
      machineRate: s.ended > 0 ? s.machine / s.ended : 0,
      meanTimeToAnswerSeconds: meanRing,
      timeToAnswerSdSeconds: sd(s.live, s.liveRingSq, meanRing),
      talkSamples: s.talkN * decay,
      meanTalkSeconds: meanTalk,
      talkLogMean: s.talkN > 0 ? s.talkLog / s.talkN : 0,
      talkLogSd: sd(s.talkN, s.talkLogSq, s.talkN > 0 ? s.talkLog / s.talkN : 0),
      meanWrapUpSeconds: s.wrapN > 0 ? s.wrap / s.wrapN : 0,
      recentAbandonRate: s.live > 0 ? s.abandoned / s.live : 0,
    };
  }

  private add(at: Date, values: Partial<Record<Sum, number>>): void {
    const ms = at.getTime();
    let weight = 1;
    if (this.lastMs === null || ms >= this.lastMs) {
      // Age everything to `at`, then add the new observation at full weight.
      const decay = this.lastMs === null ? 1 : this.factor(ms - this.lastMs);
      if (decay !== 1) for (const key of Object.keys(this.sums) as Sum[]) this.sums[key] *= decay;
      this.lastMs = ms;
    } else {
      // Reported late (calls end out of order): weigh it as old as it is.
      weight = this.factor(this.lastMs - ms);
    }
    for (const [key, value] of Object.entries(values) as [Sum, number][]) this.sums[key] += value * weight;
  }

  private factor(elapsedMs: number): number {
    return this.halfLifeMs > 0 ? Math.pow(0.5, Math.max(0, elapsedMs) / this.halfLifeMs) : 1;
  }
}

/** Standard deviation from a (weighted) count, sum of squares and mean; 0 below two samples. */
function sd(n: number, sumOfSquares: number, mean: number): number {
  return n > 1 ? Math.sqrt(Math.max(0, sumOfSquares / n - mean * mean)) : 0;
}
