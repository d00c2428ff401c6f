import { nextState } from './disposition.service';

describe('nextState (what a disposition does to the lead)', () => {
  const campaign = { maxAttempts: 3, retryDelays: { busy: 30, noAnswer: 60, machine: 120, failed: 240 } };
  const now = new Date('2026-06-01T10:00:00.000Z');
  const lead = { attempts: 1 };

  it('maps each kind to its status', () => {
    const at = new Date('2026-06-02T09:00:00.000Z');
    expect(nextState(lead, campaign, { kind: 'callback', final: false }, at, now)).toEqual({ status: 'callback', nextAttemptAt: at });
    expect(nextState(lead, campaign, { kind: 'do_not_call', final: true }, null, now)).toEqual({ status: 'dnc', nextAttemptAt: null });
    expect(nextState(lead, campaign, { kind: 'wrong_number', final: true }, null, now)).toEqual({ status: 'invalid', nextAttemptAt: null });
    expect(nextState(lead, campaign, { kind: 'conversion', final: true }, null, now)).toEqual({ status: 'done', nextAttemptAt: null });
    expect(nextState(lead, campaign, { kind: 'contact', final: true }, null, now)).toEqual({ status: 'done', nextAttemptAt: null });
  });

  it('sends a non-final code back for a retry after the no-answer delay', () => {
    expect(nextState(lead, campaign, { kind: 'no_contact', final: false }, null, now)).toEqual({
      status: 'retry',
      nextAttemptAt: new Date('2026-06-01T11:00:00.000Z'),
    });
    expect(nextState(lead, campaign, { kind: 'contact', final: false }, null, now).status).toBe('retry');
  });

  it('closes a lead that has used up its attempts instead of retrying it', () => {
    expect(nextState({ attempts: 3 }, campaign, { kind: 'no_contact', final: false }, null, now)).toEqual({ status: 'done', nextAttemptAt: null });
  });
});
