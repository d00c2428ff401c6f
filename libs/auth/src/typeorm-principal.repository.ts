import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '@app/domain';
import { PrincipalRepository, SessionPrincipalRow } from './principal.repository';

interface Row {
  user_id: string;
  role: Role;
  status: 'active' | 'disabled';
  frozen_at: Date | null;
  session_id: string;
  revoked_at: Date | null;
  expires_at: Date;
  reauth_at: Date | null;
}

@Injectable()
export class TypeormPrincipalRepository extends PrincipalRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async findSession(sessionId: string, userId: string): Promise<SessionPrincipalRow | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT u.id AS user_id, u.role, u.status, u.frozen_at,
              s.id AS session_id, s.revoked_at, s.expires_at, s.reauth_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ? AND u.id = ?`,
      [sessionId, userId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      userId: row.user_id,
      role: row.role,
      userStatus: row.status,
      frozenAt: row.frozen_at,
      sessionId: row.session_id,
      revokedAt: row.revoked_at,
      expiresAt: row.expires_at,
      reauthAt: row.reauth_at,
    };
  }

  async findRoleCidrs(role: Role): Promise<string[]> {
    const rows: Array<{ cidr: string }> = await this.dataSource.query('SELECT cidr FROM role_ip_rules WHERE role = ?', [role]);
    return rows.map((r) => r.cidr);
  }

  async touchSession(sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(3)
        WHERE id = ? AND last_seen_at < UTC_TIMESTAMP(3) - INTERVAL 60 SECOND`,
      [sessionId],
    );
  }
}
