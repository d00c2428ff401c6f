import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ThrottlePolicy, ThrottleRepository, ThrottleScope, ThrottleState } from './throttle.repository';

const HOUR_MS = 3_600_000;

interface Row {
  consecutive_failures: number;
  locked_until: Date | null;
  window_started_at: Date;
  window_failures: number;
}

@Injectable()
export class TypeormThrottleRepository extends ThrottleRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async lockedUntil(scope: ThrottleScope, subject: string, now: Date): Promise<Date | null> {
    const rows: Row[] = await this.db.query('SELECT locked_until FROM auth_throttle WHERE scope = ? AND subject = ?', [
      scope,
      subject,
    ]);
    const until = rows[0]?.locked_until ?? null;
    return until && until.getTime() > now.getTime() ? until : null;
  }

  recordFailure(scope: ThrottleScope, subject: string, now: Date, policy: ThrottlePolicy): Promise<ThrottleState> {
    return this.db.transaction(async (em) => {
      await em.query(
        `INSERT IGNORE INTO auth_throttle (scope, subject, consecutive_failures, window_started_at, window_failures)
         VALUES (?, ?, 0, ?, 0)`,
        [scope, subject, now],
      );
      const [row]: Row[] = await em.query(
        `SELECT consecutive_failures, locked_until, window_started_at, window_failures
           FROM auth_throttle WHERE scope = ? AND subject = ? FOR UPDATE`,
        [scope, subject],
      );
      let windowStart = row.window_started_at;
      let windowFailures = Number(row.window_failures);
      if (now.getTime() - windowStart.getTime() >= HOUR_MS) {
        windowStart = now;
        windowFailures = 0;
      }
      windowFailures += 1;
      let consecutive = Number(row.consecutive_failures) + 1;
      let lockedUntil = row.locked_until && row.locked_until > now ? row.locked_until : null;
      if (consecutive >= policy.threshold) {
        lockedUntil = later(lockedUntil, new Date(now.getTime() + policy.lockoutMs));
        consecutive = 0;
      }
      if (windowFailures >= policy.maxPerHour) {
        lockedUntil = later(lockedUntil, new Date(windowStart.getTime() + HOUR_MS));
      }
      await em.query(
        `UPDATE auth_throttle SET consecutive_failures = ?, locked_until = ?, window_started_at = ?, window_failures = ?
          WHERE scope = ? AND subject = ?`,
        [consecutive, lockedUntil, windowStart, windowFailures, scope, subject],
      );
      return { lockedUntil };
    });
  }

  async recordSuccess(scope: ThrottleScope, subject: string): Promise<void> {
    await this.db.query(
      'UPDATE auth_throttle SET consecutive_failures = 0 WHERE scope = ? AND subject = ? AND consecutive_failures > 0',
      [scope, subject],
    );
  }
}

function later(a: Date | null, b: Date): Date {
  return a && a > b ? a : b;
}
