import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

export abstract class RecoveryCodeRepository {
  /** Replaces all of a user's recovery codes with these hashes. */
  abstract replaceAll(userId: string, hashes: string[]): Promise<void>;
  /** Uses a code once, atomically; false when unknown or already used. */
  abstract consume(userId: string, hash: string): Promise<boolean>;
  abstract countUnused(userId: string): Promise<number>;
}

@Injectable()
export class TypeormRecoveryCodeRepository extends RecoveryCodeRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async replaceAll(userId: string, hashes: string[]): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query('DELETE FROM mfa_recovery_codes WHERE user_id = ?', [userId]);
      for (const hash of hashes) {
        await em.query('INSERT INTO mfa_recovery_codes (id, user_id, code_hash) VALUES (?, ?, ?)', [randomUUID(), userId, hash]);
      }
    });
  }

  async consume(userId: string, hash: string): Promise<boolean> {
    const result = await this.db.query(
      'UPDATE mfa_recovery_codes SET used_at = UTC_TIMESTAMP(3) WHERE user_id = ? AND code_hash = ? AND used_at IS NULL',
      [userId, hash],
    );
    return affectedRows(result) === 1;
  }

  async countUnused(userId: string): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(
      'SELECT COUNT(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NULL',
      [userId],
    );
    return Number(rows[0]?.n ?? 0);
  }
}
