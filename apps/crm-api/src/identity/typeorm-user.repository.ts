import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KmsCiphertext } from '@app/crypto';
import { affectedRows as affected } from '@app/database';
import { Role } from '@app/domain';
import { NewUser, UserRecord, UserRepository, UserSummary } from './user.repository';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  status: 'active' | 'disabled';
  frozen_at: Date | null;
  mfa_secret_ciphertext: Buffer | null;
  mfa_key_id: string | null;
  mfa_key_version: number | null;
  mfa_enabled_at: Date | null;
  mfa_last_step: string | null;
  mfa_pending_ciphertext: Buffer | null;
  mfa_pending_key_id: string | null;
  mfa_pending_key_version: number | null;
  created_at: Date;
}

const COLUMNS = `id, username, display_name, role, password_hash, status, frozen_at,
  mfa_secret_ciphertext, mfa_key_id, mfa_key_version, mfa_enabled_at, mfa_last_step,
  mfa_pending_ciphertext, mfa_pending_key_id, mfa_pending_key_version, created_at`;

@Injectable()
export class TypeormUserRepository extends UserRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findByUsername(username: string): Promise<UserRecord | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE username = ?`, [username]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findById(id: string): Promise<UserRecord | null> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM users WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async list(): Promise<UserSummary[]> {
    const rows: UserRow[] = await this.db.query(`SELECT ${COLUMNS} FROM users ORDER BY username`);
    return rows.map((row) => {
      const r = toRecord(row);
      return {
        id: r.id,
        username: r.username,
        displayName: r.displayName,
        role: r.role,
        status: r.status,
        frozenAt: r.frozenAt,
        mfaEnabledAt: r.mfaEnabledAt,
        createdAt: r.createdAt,
      };
    });
  }

  async create(user: NewUser): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO users (id, username, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?)`,
      [user.id, user.username, user.displayName, user.role, user.passwordHash],
    );
    return affected(result) === 1;
  }

  async setStatus(id: string, status: 'active' | 'disabled'): Promise<boolean> {
    return affected(await this.db.query('UPDATE users SET status = ? WHERE id = ?', [status, id])) === 1;
  }

  async updatePasswordHash(id: string, hash: string): Promise<void> {
    await this.db.query('UPDATE users SET password_hash = ? WHERE id = ?', [hash, id]);
  }

  async setPendingMfa(id: string, secret: KmsCiphertext): Promise<void> {
    await this.db.query(
      `UPDATE users SET mfa_pending_ciphertext = ?, mfa_pending_key_id = ?, mfa_pending_key_version = ?
        WHERE id = ? AND mfa_enabled_at IS NULL`,
      [secret.ciphertext, secret.keyId, secret.version, id],
    );
  }

  async activatePendingMfa(id: string, step: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE users SET mfa_secret_ciphertext = mfa_pending_ciphertext, mfa_key_id = mfa_pending_key_id,
              mfa_key_version = mfa_pending_key_version, mfa_enabled_at = UTC_TIMESTAMP(3), mfa_last_step = ?,
              mfa_pending_ciphertext = NULL, mfa_pending_key_id = NULL, mfa_pending_key_version = NULL
        WHERE id = ? AND mfa_enabled_at IS NULL AND mfa_pending_ciphertext IS NOT NULL`,
      [step, id],
    );
    return affected(result) === 1;
  }

  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE users SET mfa_last_step = ? WHERE id = ? AND (mfa_last_step IS NULL OR mfa_last_step < ?)`,
      [step, id, step],
    );
    return affected(result) === 1;
  }

  async clearMfa(id: string): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const result = await em.query(
        `UPDATE users SET mfa_secret_ciphertext = NULL, mfa_key_id = NULL, mfa_key_version = NULL,
                mfa_enabled_at = NULL, mfa_last_step = NULL, mfa_pending_ciphertext = NULL,
                mfa_pending_key_id = NULL, mfa_pending_key_version = NULL
          WHERE id = ?`,
        [id],
      );
      await em.query('DELETE FROM mfa_recovery_codes WHERE user_id = ?', [id]);
      return affected(result) === 1;
    });
  }
}

function toRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    passwordHash: row.password_hash,
    status: row.status,
    frozenAt: row.frozen_at,
    mfaSecret: ciphertext(row.mfa_secret_ciphertext, row.mfa_key_id, row.mfa_key_version),
    mfaEnabledAt: row.mfa_enabled_at,
    mfaLastStep: row.mfa_last_step === null ? null : Number(row.mfa_last_step),
    mfaPending: ciphertext(row.mfa_pending_ciphertext, row.mfa_pending_key_id, row.mfa_pending_key_version),
    createdAt: row.created_at,
  };
}

function ciphertext(blob: Buffer | null, keyId: string | null, version: number | null): KmsCiphertext | null {
  return blob && keyId && version !== null ? { keyId, version: Number(version), ciphertext: blob } : null;
}
