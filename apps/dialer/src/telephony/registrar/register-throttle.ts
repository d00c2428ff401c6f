import { createHash } from 'node:crypto';

export interface RegisterThrottlePolicy {
  /** Failed digests per account within the window before the account is blocked. */
  accountFailures: number;
  /** Failed digests per source address within the window before the address is blocked. Offices share addresses, so it is higher. */
  addressFailures: number;
  windowMs: number;
  blockMs: number;
  /** A pair (account, address) that registered successfully stays exempt from both blocks this long. */
  trustMs: number;
  /** Entries kept per table at most; the oldest go first. */
  maxEntries: number;
}

export const DEFAULT_REGISTER_THROTTLE: RegisterThrottlePolicy = {
  accountFailures: 5,
  addressFailures: 20,
  windowMs: 15 * 60_000,
  blockMs: 15 * 60_000,
  trustMs: 24 * 60 * 60_000,
  maxEntries: 100_000,
};

interface Counter {
  failures: number;
  windowStart: number;
  blockedUntil: number;
}

/**
 * Slows down password guessing against the registrar, per dialer instance (in memory: a REGISTER
 * flood must not become database load). Answers never depend on whether an account exists: an
 * unknown username counts and blocks exactly like a known one.
 *
 * A phone that registered from an address keeps working from it while its account or its address is
 * blocked because of someone else's failures (an attacker elsewhere cannot lock an agent out; one
 * misconfigured phone in an office cannot lock out the office). Agents' SIP secrets are long and
 * random, so the exemption does not make guessing feasible.
 *
 * Account names are kept as SHA-256 digests, never as typed.
 */
export class RegisterThrottle {
  private readonly accounts = new Map<string, Counter>();
  private readonly addresses = new Map<string, Counter>();
  private readonly trusted = new Map<string, number>();

  constructor(
    private readonly policy: RegisterThrottlePolicy = DEFAULT_REGISTER_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(address: string, account: string | null): boolean {
    const now = this.now();
    if (account !== null && this.isTrusted(address, account, now)) return false;
    if (blocked(this.addresses.get(address), now)) return true;
    return account !== null && blocked(this.accounts.get(key(account)), now);
  }

  recordFailure(address: string, account: string | null): void {
    const now = this.now();
    this.count(this.addresses, address, this.policy.addressFailures, now);
    if (account !== null) this.count(this.accounts, key(account), this.policy.accountFailures, now);
  }

  recordSuccess(address: string, account: string): void {
    const now = this.now();
    this.accounts.delete(key(account));
    const pair = pairKey(address, account);
    this.trusted.delete(pair);
    this.trusted.set(pair, now + this.policy.trustMs);
    this.bound(this.trusted);
  }

  private isTrusted(address: string, account: string, now: number): boolean {
    const until = this.trusted.get(pairKey(address, account));
    return until !== undefined && until > now;
  }

  private count(table: Map<string, Counter>, name: string, limit: number, now: number): void {
    let counter = table.get(name);
    if (!counter || (now - counter.windowStart > this.policy.windowMs && counter.blockedUntil <= now)) {
      counter = { failures: 0, windowStart: now, blockedUntil: 0 };
    }
    counter.failures += 1;
    if (counter.failures >= limit) {
      counter.blockedUntil = now + this.policy.blockMs;
      counter.failures = 0;
      counter.windowStart = now;
    }
    table.delete(name);
    table.set(name, counter);
    this.bound(table);
  }

  private bound<V>(table: Map<string, V>): void {
    while (table.size > this.policy.maxEntries) {
      const oldest = table.keys().next().value as string;
      table.delete(oldest);
    }
  }
}

function blocked(counter: Counter | undefined, now: number): boolean {
  return counter !== undefined && counter.blockedUntil > now;
}

function key(account: string): string {
  return createHash('sha256').update(account.trim().toLowerCase(), 'utf8').digest('hex');
}

function pairKey(address: string, account: string): string {
  return `${address}\u0000${key(account)}`;
}
