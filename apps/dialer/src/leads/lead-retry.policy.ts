import { CallOutcome } from '../session/call-outcome';
import { DialRetryDelays } from '../campaigns/dial-campaign.repository';

const MINUTE_MS = 60_000;
export const DEFAULT_ABANDON_LOCKOUT_SECONDS = 72 * 3600;

export type SettledLeadStatus = 'in_progress' | 'retry' | 'done' | 'invalid';

export interface SettleInput {
  outcome: CallOutcome;
  /** When the call ended. */
  at: Date;
  /** The agent the customer talked to, when answered. */
  agentId: string | null;
  /** Attempts including the call being settled (counted when its CDR was opened). */
  attempts: number;
  maxAttempts: number;
  retryDelays: DialRetryDelays;
  abandonLockoutSeconds: number;
  /** The lead's current lockout, which a new one never shortens. */
  dialLockedUntil: Date | null;
}

export interface NextLeadState {
  status: SettledLeadStatus;
  nextAttemptAt: Date | null;
  dialLockedUntil: Date | null;
  assignedAgentId: string | null;
}

/**
 * What becomes of a lead once its call has ended. An answered call stays with its agent
 * ('in_progress') until the agent's disposition decides; every other outcome is either retried after
 * the campaign's delay for that kind of outcome, or, once the attempts are used up, done. An abandoned
 * customer (answered, no agent in time) is not called again before the lockout has passed.
 */
export function nextLeadState(s: SettleInput): NextLeadState {
  const retryAfter = (minutes: number): NextLeadState =>
    s.attempts >= s.maxAttempts
      ? { status: 'done', nextAttemptAt: null, dialLockedUntil: s.dialLockedUntil, assignedAgentId: null }
      : { status: 'retry', nextAttemptAt: addMs(s.at, minutes * MINUTE_MS), dialLockedUntil: s.dialLockedUntil, assignedAgentId: null };

  switch (s.outcome) {
    case 'answered':
      if (s.agentId) return { status: 'in_progress', nextAttemptAt: null, dialLockedUntil: s.dialLockedUntil, assignedAgentId: s.agentId };
      // Answered but nobody to dispose of it: left 'in_progress' it would never be called or closed again.
      return retryAfter(s.retryDelays.failed);
    case 'invalid_number':
      return { status: 'invalid', nextAttemptAt: null, dialLockedUntil: s.dialLockedUntil, assignedAgentId: null };
    case 'busy':
      return retryAfter(s.retryDelays.busy);
    case 'no_answer':
      return retryAfter(s.retryDelays.noAnswer);
    case 'machine':
      return retryAfter(s.retryDelays.machine);
    case 'failed':
    case 'carrier_error':
    case 'canceled':
      return retryAfter(s.retryDelays.failed);
    case 'abandoned': {
      const lockout = addMs(s.at, s.abandonLockoutSeconds * 1000);
      const locked = s.dialLockedUntil && s.dialLockedUntil > lockout ? s.dialLockedUntil : lockout;
      const next = retryAfter(s.retryDelays.failed);
      return {
        ...next,
        dialLockedUntil: locked,
        nextAttemptAt: next.nextAttemptAt && next.nextAttemptAt < locked ? locked : next.nextAttemptAt,
      };
    }
  }
}

function addMs(at: Date, ms: number): Date {
  return new Date(at.getTime() + ms);
}
