import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { ActivityKind } from './anomaly.config';

export interface SecurityAlert {
  id: string;
  userId: string;
  kind: string;
  observed: number;
  threshold: number;
  windowSeconds: number;
  createdAt: Date;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export abstract class ActivityRepository {
  /** Records one access and answers how many of this kind the user made since `since`, this one included. */
  abstract recordAndCount(userId: string, kind: ActivityKind, at: Date, since: Date): Promise<number>;
  /** Freezes the user and revokes their sessions, in one transaction; false if already frozen. */
  abstract freeze(userId: string, reason: string): Promise<boolean>;
  abstract unfreeze(userId: string): Promise<boolean>;
  abstract createAlert(alert: Omit<SecurityAlert, 'id' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>): Promise<SecurityAlert>;
  abstract listAlerts(openOnly: boolean): Promise<SecurityAlert[]>;
  abstract resolveAlertsFor(userId: string, by: string): Promise<void>;
}

interface AlertRow {
  id: string;
  user_id: string;
  kind: string;
  observed: number;
  threshold: number;
  window_seconds: number;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
}

@Injectable()
export class TypeormActivityRepository extends ActivityRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async recordAndCount(userId: string, kind: ActivityKind, at: Date, since: Date): Promise<number> {
    await this.db.query('INSERT INTO user_activity (user_id, kind, at) VALUES (?, ?, ?)', [userId, kind, at]);
    const rows: Array<{ n: string }> = await this.db.query(
      'SELECT COUNT(*) AS n FROM user_activity WHERE user_id = ? AND kind = ? AND at > ?',
      [userId, kind, since],
    );
    return Number(rows[0].n);
  }

  freeze(userId: string, reason: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const result = await em.query(
        'UPDATE users SET frozen_at = UTC_TIMESTAMP(3), frozen_reason = ? WHERE id = ? AND frozen_at IS NULL',
        [reason, userId],
      );
      await em.query(
        `UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3), revoked_reason = 'account_frozen' WHERE user_id = ? AND revoked_at IS NULL`,
        [userId],
      );
      return affectedRows(result) === 1;
    });
  }

  async unfreeze(userId: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE users SET frozen_at = NULL, frozen_reason = NULL WHERE id = ? AND frozen_at IS NOT NULL',
      [userId],
    );
    return affectedRows(result) === 1;
  }

  async createAlert(a: Omit<SecurityAlert, 'id' | 'createdAt' | 'resolvedAt' | 'resolvedBy'>): Promise<SecurityAlert> {
    const id = randomUUID();
    await this.db.query(
      'INSERT INTO security_alerts (id, user_id, kind, observed, threshold, window_seconds) VALUES (?, ?, ?, ?, ?, ?)',
      [id, a.userId, a.kind, a.observed, a.threshold, a.windowSeconds],
    );
    const rows: AlertRow[] = await this.db.query('SELECT * FROM security_alerts WHERE id = ?', [id]);
    return toAlert(rows[0]);
  }

  async listAlerts(openOnly: boolean): Promise<SecurityAlert[]> {
    const rows: AlertRow[] = await this.db.query(
      `SELECT * FROM security_alerts ${openOnly ? 'WHERE resolved_at IS NULL' : ''} ORDER BY created_at DESC LIMIT 500`,
    );
    return rows.map(toAlert);
  }

  async resolveAlertsFor(userId: string, by: string): Promise<void> {
    await this.db.query(
      'UPDATE security_alerts SET resolved_at = UTC_TIMESTAMP(3), resolved_by = ? WHERE user_id = ? AND resolved_at IS NULL',
      [by, userId],
    );
  }
}

function toAlert(r: AlertRow): SecurityAlert {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    observed: Number(r.observed),
    threshold: Number(r.threshold),
    windowSeconds: Number(r.window_seconds),
    createdAt: r.created_at,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
  };
}
