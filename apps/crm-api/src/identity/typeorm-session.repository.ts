import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { RefreshTokenInfo, SessionInfo, SessionRepository } from './session.repository';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
  source_ip: string | null;
  user_agent: string | null;
}

const ACTIVE = 'revoked_at IS NULL AND expires_at > UTC_TIMESTAMP(3)';

@Injectable()
export class TypeormSessionRepository extends SessionRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async create(s: { id: string; userId: string; expiresAt: Date; sourceIp: string | null; userAgent: string | null }): Promise<void> {
    await this.db.query(
      'INSERT INTO sessions (id, user_id, expires_at, source_ip, user_agent) VALUES (?, ?, ?, ?, ?)',
      [s.id, s.userId, s.expiresAt, s.sourceIp, s.userAgent?.slice(0, 255) ?? null],
    );
  }

  async addRefreshToken(t: { id: string; sessionId: string; tokenHash: string; expiresAt: Date }): Promise<void> {
    await this.db.query('INSERT INTO refresh_tokens (id, session_id, token_hash, expires_at) VALUES (?, ?, ?, ?)', [
      t.id,
      t.sessionId,
      t.tokenHash,
      t.expiresAt,
    ]);
  }

  async findRefreshToken(tokenHash: string): Promise<RefreshTokenInfo | null> {
    const rows: Array<{
      id: string;
      session_id: string;
      user_id: string;
      rotated_at: Date | null;
      expires_at: Date;
      session_revoked_at: Date | null;
      session_expires_at: Date;
    }> = await this.db.query(
      `SELECT t.id, t.session_id, s.user_id, t.rotated_at, t.expires_at,
              s.revoked_at AS session_revoked_at, s.expires_at AS session_expires_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
        WHERE t.token_hash = ?`,
      [tokenHash],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          sessionId: r.session_id,
          userId: r.user_id,
          rotatedAt: r.rotated_at,
          expiresAt: r.expires_at,
          sessionRevokedAt: r.session_revoked_at,
          sessionExpiresAt: r.session_expires_at,
        }
      : null;
  }

  async markRotated(tokenId: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE refresh_tokens SET rotated_at = UTC_TIMESTAMP(3) WHERE id = ? AND rotated_at IS NULL',
      [tokenId],
    );
    return affectedRows(result) === 1;
  }

  async revoke(sessionId: string, reason: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3), revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
      [reason, sessionId],
    );
    return affectedRows(result) === 1;
  }

  async revokeAllForUser(userId: string, reason: string): Promise<number> {
    const result = await this.db.query(
      'UPDATE sessions SET revoked_at = UTC_TIMESTAMP(3), revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL',
      [reason, userId],
    );
    return affectedRows(result);
  }

  async setReauthenticated(sessionId: string): Promise<void> {
    await this.db.query('UPDATE sessions SET reauth_at = UTC_TIMESTAMP(3) WHERE id = ?', [sessionId]);
  }

  async findById(sessionId: string): Promise<SessionInfo | null> {
    const rows: SessionRow[] = await this.db.query('SELECT * FROM sessions WHERE id = ?', [sessionId]);
    return rows[0] ? toInfo(rows[0]) : null;
  }

  async listActiveForUser(userId: string): Promise<SessionInfo[]> {
    const rows: SessionRow[] = await this.db.query(
      `SELECT * FROM sessions WHERE user_id = ? AND ${ACTIVE} ORDER BY created_at DESC`,
      [userId],
    );
    return rows.map(toInfo);
  }

  async listActive(limit: number): Promise<SessionInfo[]> {
    const rows: SessionRow[] = await this.db.query(
      `SELECT * FROM sessions WHERE ${ACTIVE} ORDER BY last_seen_at DESC LIMIT ?`,
      [limit],
    );
    return rows.map(toInfo);
  }
}

function toInfo(r: SessionRow): SessionInfo {
  return {
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    revokedReason: r.revoked_reason,
    sourceIp: r.source_ip,
    userAgent: r.user_agent,
  };
}
