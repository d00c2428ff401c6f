/** How a campaign dials: the same three modes as the campaign's `dial_mode`. */
export type PacingMode = 'preview' | 'progressive' | 'predictive';

/** How a call attempt ended (the dialer's call outcomes, as in the CDR). */
export type ObservedOutcome =
  | 'answered'
  | 'busy'
  | 'no_answer'
  | 'failed'
  | 'abandoned'
  | 'invalid_number'
  | 'carrier_error'
  | 'machine'
  | 'canceled';

/**
 * What one campaign's recent calls say, as PacingStatistics.snapshot gives it. Counts are decayed
 * (recent calls weigh more), so they are sample sizes, not totals.
 */
export interface PacingStats {
  callsPlaced: number;
  /** Calls whose outcome is known (placed calls minus those still in flight, minus those we cancelled). */
  callsEnded: number;
  /** Live answers (answered + abandoned), the sample size predictive pacing waits for. */
  liveAnswers: number;
  /** Live answers per ended call: the chance that a call placed now reaches a person. */
  liveAnswerRate: number;
  /** Answering machines per ended call (they need no agent). */
  machineRate: number;
  /** Mean seconds from placing a call to its live answer. */
  meanTimeToAnswerSeconds: number;
  /** Their standard deviation (0 when unknown): answers spread in time, and early ones find fewer agents. */
  timeToAnswerSdSeconds: number;
  /** Calls that reached an agent and whose talk time is known. */
  talkSamples: number;
  meanTalkSeconds: number;
  /** Mean and standard deviation of ln(talk seconds) (calls under a second count as one): a lognormal fit. */
  talkLogMean: number;
  talkLogSd: number;
  meanWrapUpSeconds: number;
  /** Abandoned per live answer over the same decayed window (the short-term trend). */
  recentAbandonRate: number;
}

/** The knobs of predictive pacing; every one has a default (DEFAULT_PACING_TUNING). */
export interface PacingTuning {
  /** Never more calls in flight than this many per working agent (ready, reserved, on a call or in wrap-up). */
  maxLinesPerAgent: number;
  /** Below this many (decayed) live answers the statistics are too thin to predict: progressive. */
  minLiveAnswers: number;
  /** The model aims at this fraction of the cap (the safety margin against its own error). */
  targetFractionOfCap: number;
  /** From this fraction of the cap, the 30-day or 24-hour rate shrinks the target, down to zero at the cap. */
  approachFractionOfCap: number;
  /** Seconds an answered customer waits for an agent before the call is abandoned. */
  agentWaitSeconds: number;
}

export const DEFAULT_PACING_TUNING: PacingTuning = {
  maxLinesPerAgent: 3,
  minLiveAnswers: 50,
  targetFractionOfCap: 0.7,
  approachFractionOfCap: 0.8,
  agentWaitSeconds: 2,
};

/** The default abandon cap (US TSR, UK Ofcom): 3 % of live answered calls. */
export const DEFAULT_MAX_ABANDON_RATE = 0.03;

/** Everything pacing looks at for one campaign at one moment. */
export interface PacingInput {
  mode: PacingMode;
  /** Agents ready and not reserved for any call. */
  readyAgents: number;
  /** Agents reserved for one of the calls in flight (progressive): those calls need no other agent. */
  reservedAgents?: number;
  /** Seconds already spent on the current call, per agent on a call. */
  onCallElapsedSeconds: readonly number[];
  /** Seconds of wrap-up left, per agent in wrap-up. */
  wrapUpRemainingSeconds: readonly number[];
  /** Calls placed and not answered yet (dialling or ringing), with or without a reserved agent. */
  callsInFlight: number;
  /**
   * Seconds since each of the calls in flight *without* a reserved agent was placed: a call that has
   * rung for a while is answered sooner, if at all. When absent, the callsInFlight - reservedAgents
   * such calls are taken as placed half the median time to answer ago: on the cautious side (in the
   * simulation it gives up about a third of predictive's gain), so pass them.
   */
  unmatchedCallAgesSeconds?: readonly number[];
  /** Customers who answered and are waiting (at most a couple of seconds) for an agent. */
  callsWaitingForAgent?: number;
  stats: PacingStats;
  /** The campaign's cap, a fraction of live answered calls (0.03 is 3 %). */
  maxAbandonRate: number;
  /** Abandoned / (answered + abandoned) over the last 30 days (regulator's definition). */
  abandonRate30d: number;
  /** The same over the last 24 hours. */
  abandonRate24h: number;
  tuning?: Partial<PacingTuning>;
}

export interface PacingDecision {
  /** Calls to place now. */
  calls: number;
  /** The mode actually used: predictive falls back to progressive (agents reserved first) when it must. */
  mode: PacingMode;
  /** Why, in a few words, for the managers' view. No personal data. */
  reason: string;
}
