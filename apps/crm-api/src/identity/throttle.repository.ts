export type ThrottleScope = 'account' | 'ip';

export interface ThrottlePolicy {
  threshold: number;
  lockoutMs: number;
  maxPerHour: number;
}

export interface ThrottleState {
  lockedUntil: Date | null;
}

/** Failure counters for sign-in, per account and per source address. */
export abstract class ThrottleRepository {
  abstract lockedUntil(scope: ThrottleScope, subject: string, now: Date): Promise<Date | null>;
  /** Counts one failure, atomically, and locks the subject when the policy says so. */
  abstract recordFailure(scope: ThrottleScope, subject: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleState>;
  /** A success ends the run of consecutive failures (the hourly count stays). */
  abstract recordSuccess(scope: ThrottleScope, subject: string): Promise<void>;
}
