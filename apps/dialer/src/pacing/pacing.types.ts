export type DialModeName = 'preview' | 'progressive' | 'predictive';

/** What the campaign's recent calls measured; PacingStatistics produces it. */
export interface PacingStats {
  /** Share of placed calls answered by a live person. */
  answerRate: number;
  /** Mean seconds from placing a call to its answer. */
  meanRingSeconds: number;
  meanTalkSeconds: number;
  meanWrapUpSeconds: number;
  /** Live answers observed: predictive waits for enough of them before trusting the figures. */
  liveAnswers: number;
}

export interface PacingInput {
  mode: DialModeName;
  /** Agents ready now and not yet reserved for a call. */
  readyAgents: number;
  /** Seconds already talked, per agent on a call. */
  onCallElapsedSeconds: number[];
  /** Seconds of wrap-up left, per agent in wrap-up. */
  wrapUpRemainingSeconds: number[];
  /** Calls placed and not answered yet (they may still need an agent). */
  callsInFlight: number;
  stats: PacingStats;
  /** The campaign's cap, e.g. 0.03. */
  maxAbandonRate: number;
  abandonRate30d: number;
  abandonRate24h: number;
  /** Never more lines than this per agent (default 3). */
  maxLinesPerAgent?: number;
  /** Live answers needed before predictive pacing is used (default 50). */
  minLiveAnswers?: number;
}

export interface PacingDecision {
  calls: number;
  mode: DialModeName;
  /** Short, for the managers' view. */
  reason: string;
}
