import { DEFAULT_REGISTER_THROTTLE, RegisterThrottle } from './register-throttle';

describe('RegisterThrottle', () => {
  let t = 0;
  const now = () => t;
  const policy = { ...DEFAULT_REGISTER_THROTTLE, accountFailures: 5, addressFailures: 20 };
  beforeEach(() => {
    t = 1_000_000;
  });

  it('blocks an account after five failures for fifteen minutes, from any new address', () => {
    const throttle = new RegisterThrottle(policy, now);
    for (let i = 0; i < 4; i++) throttle.recordFailure(`198.51.100.${i}`, 'agent7');
    expect(throttle.isBlocked('203.0.113.1', 'agent7')).toBe(false);
    throttle.recordFailure('198.51.100.9', 'agent7');
    expect(throttle.isBlocked('203.0.113.1', 'agent7')).toBe(true);
    expect(throttle.isBlocked('203.0.113.1', 'AGENT7 ')).toBe(true);
    expect(throttle.isBlocked('203.0.113.1', 'agent8')).toBe(false);
    t += 15 * 60_000 - 1;
    expect(throttle.isBlocked('203.0.113.1', 'agent7')).toBe(true);
    t += 1;
    expect(throttle.isBlocked('203.0.113.1', 'agent7')).toBe(false);
  });

  it('blocks an unknown account exactly like a known one', () => {
    const throttle = new RegisterThrottle(policy, now);
    for (let i = 0; i < 5; i++) throttle.recordFailure(`198.51.100.${i}`, 'no-such-user');
    expect(throttle.isBlocked('203.0.113.1', 'no-such-user')).toBe(true);
  });

  it('blocks an address after twenty failures, whatever the accounts', () => {
    const throttle = new RegisterThrottle(policy, now);
    for (let i = 0; i < 19; i++) throttle.recordFailure('198.51.100.7', `user${i}`);
    expect(throttle.isBlocked('198.51.100.7', 'someone')).toBe(false);
    throttle.recordFailure('198.51.100.7', null);
    expect(throttle.isBlocked('198.51.100.7', 'someone')).toBe(true);
    expect(throttle.isBlocked('198.51.100.7', null)).toBe(true);
    expect(throttle.isBlocked('198.51.100.8', 'someone')).toBe(false);
  });

  it('forgets failures older than the window', () => {
    const throttle = new RegisterThrottle(policy, now);
    for (let i = 0; i < 4; i++) throttle.recordFailure('198.51.100.1', 'agent7');
    t += 15 * 60_000 + 1;
    throttle.recordFailure('198.51.100.1', 'agent7');
    expect(throttle.isBlocked('198.51.100.2', 'agent7')).toBe(false);
  });

  it('keeps a phone that registered from its address working while others fail against its account or address', () => {
    const throttle = new RegisterThrottle(policy, now);
    throttle.recordSuccess('192.0.2.10', 'agent7');
    for (let i = 0; i < 5; i++) throttle.recordFailure('198.51.100.66', 'agent7');
    for (let i = 0; i < 20; i++) throttle.recordFailure('192.0.2.10', 'broken-phone');
    expect(throttle.isBlocked('198.51.100.66', 'agent7')).toBe(true);
    expect(throttle.isBlocked('192.0.2.10', 'broken-phone')).toBe(true);
    expect(throttle.isBlocked('192.0.2.10', 'agent7')).toBe(false);
    t += 24 * 60 * 60_000 + 1;
    for (let i = 0; i < 20; i++) throttle.recordFailure('192.0.2.10', 'broken-phone');
    expect(throttle.isBlocked('192.0.2.10', 'agent7')).toBe(true);
  });

  it('resets an account’s failures when it registers', () => {
    const throttle = new RegisterThrottle(policy, now);
    for (let i = 0; i < 4; i++) throttle.recordFailure('198.51.100.1', 'agent7');
    throttle.recordSuccess('192.0.2.10', 'agent7');
    throttle.recordFailure('198.51.100.1', 'agent7');
    expect(throttle.isBlocked('198.51.100.2', 'agent7')).toBe(false);
  });

  it('stays within its memory bound under a flood of addresses', () => {
    const throttle = new RegisterThrottle({ ...policy, maxEntries: 100 }, now);
    for (let i = 0; i < 10_000; i++) throttle.recordFailure(`10.0.${i >> 8}.${i & 255}`, `u${i}`);
    const sizes = throttle as unknown as { accounts: Map<string, unknown>; addresses: Map<string, unknown> };
    expect(sizes.accounts.size).toBe(100);
    expect(sizes.addresses.size).toBe(100);
  });
});
