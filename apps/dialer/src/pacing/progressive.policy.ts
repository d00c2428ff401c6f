/** What progressive pacing needs to know: agents free now and the calls that will claim one. */
export interface ProgressiveSituation {
  readyAgents: number;
  /** Calls ringing without a reserved agent (placed predictively before a fallback). */
  unmatchedCallsInFlight: number;
  callsWaitingForAgent: number;
}

/**
 * One call per ready agent not already promised to a call: ringing calls without a reserved agent
 * and customers waiting for an agent will take ready agents first, so they are subtracted. Each
 * progressive call reserves its agent before dialling, so an answer always finds one: this mode
 * cannot abandon.
 */
export function progressiveCalls(s: ProgressiveSituation): number {
  return Math.max(0, s.readyAgents - s.unmatchedCallsInFlight - s.callsWaitingForAgent);
}
