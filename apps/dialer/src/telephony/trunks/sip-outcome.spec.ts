import { classifySipFinal, shouldFailover } from './sip-outcome';

describe('classifySipFinal', () => {
  it.each([
    [486, 'busy', false],
    [600, 'busy', false],
    [603, 'busy', false],
    [480, 'no_answer', false],
    [487, 'no_answer', false],
    [408, 'no_answer', true],
    [404, 'invalid_number', false],
    [410, 'invalid_number', false],
    [484, 'invalid_number', false],
    [604, 'invalid_number', false],
    [403, 'carrier_error', false],
    [503, 'carrier_error', true],
    [500, 'carrier_error', true],
    [502, 'carrier_error', true],
    [504, 'carrier_error', true],
    [580, 'carrier_error', true],
    [401, 'carrier_error', true],
    [407, 'carrier_error', true],
    [482, 'carrier_error', true],
    [483, 'carrier_error', true],
    [488, 'failed', true],
    [606, 'failed', true],
    [400, 'failed', false],
    [415, 'failed', false],
    [302, 'failed', false],
  ] as const)('%s → %s, failover %s', (status, outcome, failover) => {
    const c = classifySipFinal(status);
    expect(c.outcome).toBe(outcome);
    expect(c.failover).toBe(failover);
    expect(shouldFailover(status)).toBe(failover);
  });

  it('marks the number invalid only for "does not exist" answers', () => {
    for (const status of [404, 410, 484, 604]) expect(classifySipFinal(status).invalidNumber).toBe(true);
    for (const status of [486, 480, 408, 403, 503, 488]) expect(classifySipFinal(status).invalidNumber).toBe(false);
  });

  it('fails over on a timeout where nothing rang, but not once the customer’s phone rang', () => {
    expect(classifySipFinal('timeout')).toEqual({ outcome: 'no_answer', failover: true, invalidNumber: false });
    expect(classifySipFinal('timeout', { ringing: true })).toEqual({ outcome: 'no_answer', failover: false, invalidNumber: false });
    expect(shouldFailover('timeout')).toBe(true);
  });

  it('refuses what is not a final failure', () => {
    expect(() => classifySipFinal(200)).toThrow(RangeError);
    expect(() => classifySipFinal(180)).toThrow(RangeError);
    expect(() => classifySipFinal(700)).toThrow(RangeError);
  });
});
