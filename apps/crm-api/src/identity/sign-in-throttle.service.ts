import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@app/domain';
import { IdentityConfig } from './identity.config';
import { ThrottlePolicy, ThrottleRepository, ThrottleScope } from './throttle.repository';

/**
 * Password and TOTP failures counted per account and per source address. Subjects are hashed, so
 * the table never holds what someone typed into the username box, and unknown usernames are
 * throttled exactly like real ones: the answer never tells whether an account exists.
 */
@Injectable()
export class SignInThrottleService {
  private readonly policy: ThrottlePolicy;

  constructor(
    private readonly throttle: ThrottleRepository,
    private readonly clock: Clock,
    config: IdentityConfig,
  ) {
    this.policy = {
      threshold: config.lockoutThreshold,
      lockoutMs: config.lockoutMinutes * 60_000,
      maxPerHour: config.maxFailuresPerHour,
    };
  }

  async isLocked(username: string, ip: string | null): Promise<boolean> {
    const now = this.clock.now();
    for (const [scope, subject] of this.subjects(username, ip)) {
      if (await this.throttle.lockedUntil(scope, subject, now)) return true;
    }
    return false;
  }

  async failure(username: string, ip: string | null): Promise<void> {
    const now = this.clock.now();
    for (const [scope, subject] of this.subjects(username, ip)) {
      await this.throttle.recordFailure(scope, subject, now, this.policy);
    }
  }

  async success(username: string, ip: string | null): Promise<void> {
    for (const [scope, subject] of this.subjects(username, ip)) {
      await this.throttle.recordSuccess(scope, subject);
    }
  }

  private subjects(username: string, ip: string | null): Array<[ThrottleScope, string]> {
    const subjects: Array<[ThrottleScope, string]> = [['account', digest(`account:${username.trim().toLowerCase()}`)]];
    if (ip) subjects.push(['ip', digest(`ip:${ip}`)]);
    return subjects;
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
