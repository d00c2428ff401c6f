import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AccessRepository } from './access.repository';
import { Permission } from './permission.enum';
import { Principal } from './principal';

/** One query per permission; later features add their record types here, and only here. */
@Injectable()
export class TypeormAccessRepository extends AccessRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async allowedIds(principal: Principal, permission: Permission, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const query = this.queryFor(principal, permission);
    if (!query) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(query.sql, [[...ids], ...query.params]);
    return new Set(rows.map((r) => r.id));
  }

  private queryFor(principal: Principal, permission: Permission): { sql: string; params: unknown[] } | null {
    switch (permission) {
      case Permission.SelfManage:
        // Sessions: one's own only.
        return principal.kind === 'user'
          ? { sql: 'SELECT id FROM sessions WHERE id IN (?) AND user_id = ?', params: [principal.userId] }
          : null;
      case Permission.SessionManage:
        return { sql: 'SELECT id FROM sessions WHERE id IN (?)', params: [] };
      case Permission.UserRead:
      case Permission.UserManage:
        return { sql: 'SELECT id FROM users WHERE id IN (?)', params: [] };
      // Recordings (ids are recordings.id): the recording issue fills these in.
      case Permission.RecordingRead:
      case Permission.RecordingPlay:
      case Permission.RecordingDownload:
      case Permission.RecordingControl:
        return null;
      case Permission.QaScorecardManage:
      case Permission.QaScoreRead:
      case Permission.KeyManage:
      case Permission.RecordingIngestWrite:
      case Permission.SecurityPolicyManage:
      case Permission.AuditRead:
      case Permission.AuditVerify:
      case Permission.InternalStatusRead:
        return null;
    }
  }
}
