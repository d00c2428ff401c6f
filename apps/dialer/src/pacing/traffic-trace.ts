import { SeededRandom } from './prng';

/** A lognormal given by its median and the standard deviation of its logarithm. */
export interface LognormalSpec {
  median: number;
  sigma: number;
}

/** How the numbers of a campaign behave, for the simulation. */
export interface TrafficProfile {
  /** Share of calls a person answers. */
  liveAnswerProbability: number;
  /** Share of calls an answering machine answers. */
  machineProbability: number;
  /** Share of calls that end quickly unanswered (busy, failed); the rest ring until the timeout. */
  busyProbability: number;
  /** Seconds from placing the call to a person's (or a machine's) answer. */
  answerSeconds: LognormalSpec;
  /** Seconds the dialer needs to recognise a machine after the answer. */
  machineDetectSeconds: number;
  busySeconds: LognormalSpec;
  /** The dialer gives up on a ringing call after this (no answer). */
  ringTimeoutSeconds: number;
  talkSeconds: LognormalSpec;
  wrapUpSeconds: LognormalSpec;
}

/**
 * A plausible consumer campaign: a quarter of calls reach a person after about 9 s, a call lasts
 * about 2 minutes (median; mean 2 min 45 s) and wrap-up about 20 s.
 */
export const DEFAULT_TRAFFIC: TrafficProfile = {
  liveAnswerProbability: 0.25,
  machineProbability: 0.15,
  busyProbability: 0.05,
  answerSeconds: { median: 9, sigma: 0.45 },
  machineDetectSeconds: 3,
  busySeconds: { median: 4, sigma: 0.3 },
  ringTimeoutSeconds: 30,
  talkSeconds: { median: 120, sigma: 0.8 },
  wrapUpSeconds: { median: 20, sigma: 0.5 },
};

export type TraceOutcome = 'live' | 'machine' | 'busy' | 'no_answer';

/** What will happen to the n-th call placed, decided before any mode touches it. */
export interface TracedCall {
  outcome: TraceOutcome;
  /** Seconds from placing to the answer (live, machine) or to the end (busy, no answer). */
  answerOrEndSeconds: number;
  talkSeconds: number;
  wrapUpSeconds: number;
}

/**
 * The campaign's numbers as an endless, seeded sequence: the n-th call any mode places is the n-th
 * entry, whatever the mode, so two modes compared on one seed meet the same customers in the same
 * order. Every entry draws the same amount of randomness whatever its outcome, so an entry depends
 * only on the seed and its position.
 */
export class TrafficTrace {
  private readonly random: SeededRandom;
  private readonly calls: TracedCall[] = [];

  constructor(
    readonly seed: number,
    readonly profile: TrafficProfile = DEFAULT_TRAFFIC,
  ) {
    this.random = new SeededRandom(seed);
  }

  call(index: number): TracedCall {
    while (this.calls.length <= index) this.calls.push(this.draw());
    return this.calls[index];
  }

  private draw(): TracedCall {
    const p = this.profile;
    const r = this.random;
    const u = r.next();
    const answer = r.lognormal(p.answerSeconds.median, p.answerSeconds.sigma);
    const busy = r.lognormal(p.busySeconds.median, p.busySeconds.sigma);
    const talk = r.lognormal(p.talkSeconds.median, p.talkSeconds.sigma);
    const wrapUp = r.lognormal(p.wrapUpSeconds.median, p.wrapUpSeconds.sigma);
    // Answers later than the timeout would have been given up on: they are no-answers.
    const answered = Math.min(answer, p.ringTimeoutSeconds);
    let outcome: TraceOutcome = 'no_answer';
    if (u < p.liveAnswerProbability) outcome = answer < p.ringTimeoutSeconds ? 'live' : 'no_answer';
    else if (u < p.liveAnswerProbability + p.machineProbability) outcome = answer < p.ringTimeoutSeconds ? 'machine' : 'no_answer';
    else if (u < p.liveAnswerProbability + p.machineProbability + p.busyProbability) outcome = 'busy';
    const answerOrEndSeconds =
      outcome === 'live' ? answered : outcome === 'machine' ? answered + p.machineDetectSeconds : outcome === 'busy' ? busy : p.ringTimeoutSeconds;
    return { outcome, answerOrEndSeconds, talkSeconds: talk, wrapUpSeconds: wrapUp };
  }
}
