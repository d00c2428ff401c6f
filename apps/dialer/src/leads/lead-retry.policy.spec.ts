import { nextLeadState, SettleInput } from './lead-retry.policy';

const at = new Date('2026-11-23T15:00:00.000Z');
const later = (minutes: number) => new Date(at.getTime() + minutes * 60_000);
const base: SettleInput = {
  outcome: 'busy',
  at,
  agentId: null,
  attempts: 1,
  maxAttempts: 3,
  retryDelays: { busy: 5, noAnswer: 10, machine: 20, failed: 40 },
  abandonLockoutSeconds: 72 * 3600,
  dialLockedUntil: null,
};

describe('nextLeadState', () => {
  it('retries each outcome after the campaign’s delay for its kind', () => {
    expect(nextLeadState({ ...base, outcome: 'busy' }).nextAttemptAt).toEqual(later(5));
    expect(nextLeadState({ ...base, outcome: 'no_answer' }).nextAttemptAt).toEqual(later(10));
    expect(nextLeadState({ ...base, outcome: 'machine' }).nextAttemptAt).toEqual(later(20));
    for (const outcome of ['failed', 'carrier_error', 'canceled'] as const) {
      expect(nextLeadState({ ...base, outcome })).toEqual({ status: 'retry', nextAttemptAt: later(40), dialLockedUntil: null, assignedAgentId: null });
    }
  });

  it('ends the lead once the attempts (this call included) are used up', () => {
    expect(nextLeadState({ ...base, attempts: 3 })).toEqual({ status: 'done', nextAttemptAt: null, dialLockedUntil: null, assignedAgentId: null });
    expect(nextLeadState({ ...base, attempts: 2 }).status).toBe('retry');
  });

  it('leaves an answered lead with its agent, and retries one answered with nobody to dispose of it', () => {
    expect(nextLeadState({ ...base, outcome: 'answered', agentId: 'agent-1', attempts: 3 })).toEqual({
      status: 'in_progress',
      nextAttemptAt: null,
      dialLockedUntil: null,
      assignedAgentId: 'agent-1',
    });
    expect(nextLeadState({ ...base, outcome: 'answered' })).toMatchObject({ status: 'retry', nextAttemptAt: later(40) });
  });

  it('closes an invalid number whatever the attempts', () => {
    expect(nextLeadState({ ...base, outcome: 'invalid_number', attempts: 0 }).status).toBe('invalid');
  });

  it('locks an abandoned number out, never shortening a longer lockout already there', () => {
    const lock = later(72 * 60);
    expect(nextLeadState({ ...base, outcome: 'abandoned' })).toEqual({ status: 'retry', nextAttemptAt: lock, dialLockedUntil: lock, assignedAgentId: null });
    const longer = later(100 * 60);
    expect(nextLeadState({ ...base, outcome: 'abandoned', dialLockedUntil: longer })).toMatchObject({ dialLockedUntil: longer, nextAttemptAt: longer });
    expect(nextLeadState({ ...base, outcome: 'abandoned', attempts: 3 })).toEqual({ status: 'done', nextAttemptAt: null, dialLockedUntil: lock, assignedAgentId: null });
  });
});
