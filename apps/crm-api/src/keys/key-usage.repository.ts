import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KmsCiphertext } from '@app/crypto';
import { affectedRows } from '@app/database';

/** The KMS keys whose wrapped material this app stores, and can therefore rotate. */
export type ManagedKeyName = 'leads' | 'dnc';

/** One stored ciphertext made by the KMS: a subject's wrapped data key, or a DNC entry's sealed number. */
export interface WrappedRecord {
  id: string;
  wrapped: KmsCiphertext;
}

/**
 * Which key versions the stored records use, and walking the records still on an older version.
 * Listing goes by id (a cursor), so one rewrap pass ends even when some records cannot be moved.
 */
export abstract class KeyUsageRepository {
  /** Version → how many live records use it. */
  abstract countByVersion(key: ManagedKeyName): Promise<Map<number, number>>;
  abstract countOnVersion(key: ManagedKeyName, version: number): Promise<number>;
  abstract listBelowVersion(key: ManagedKeyName, version: number, afterId: string, limit: number): Promise<WrappedRecord[]>;
  /** DNC entries only (subjects go through SubjectRepository.replaceWrapped): compare-and-swap. */
  abstract replaceDncWrapped(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean>;
  /** Seconds since this version was created, by the database's clock; null when it does not exist. */
  abstract secondsSinceCreated(key: ManagedKeyName, version: number): Promise<number | null>;
}

@Injectable()
export class TypeormKeyUsageRepository extends KeyUsageRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async countByVersion(key: ManagedKeyName): Promise<Map<number, number>> {
    const rows: Array<{ version: number; n: string }> =
      key === 'leads'
        ? await this.db.query(
            `SELECT key_version AS version, COUNT(*) AS n FROM data_subjects
              WHERE key_id = ? AND wrapped_key IS NOT NULL GROUP BY key_version`,
            [key],
          )
        : await this.db.query('SELECT phone_key_version AS version, COUNT(*) AS n FROM dnc_entries GROUP BY phone_key_version');
    return new Map(rows.map((r) => [Number(r.version), Number(r.n)]));
  }

  async countOnVersion(key: ManagedKeyName, version: number): Promise<number> {
    const rows: Array<{ n: string }> =
      key === 'leads'
        ? await this.db.query(
            'SELECT COUNT(*) AS n FROM data_subjects WHERE key_id = ? AND key_version = ? AND wrapped_key IS NOT NULL',
            [key, version],
          )
        : await this.db.query('SELECT COUNT(*) AS n FROM dnc_entries WHERE phone_key_version = ?', [version]);
    return Number(rows[0].n);
  }

  async listBelowVersion(key: ManagedKeyName, version: number, afterId: string, limit: number): Promise<WrappedRecord[]> {
    if (key === 'leads') {
      const rows: Array<{ id: string; key_version: number; wrapped_key: Buffer }> = await this.db.query(
        `SELECT id, key_version, wrapped_key FROM data_subjects
          WHERE key_id = ? AND key_version < ? AND wrapped_key IS NOT NULL AND id > ?
          ORDER BY id LIMIT ?`,
        [key, version, afterId, limit],
      );
      return rows.map((r) => ({ id: r.id, wrapped: { keyId: key, version: Number(r.key_version), ciphertext: r.wrapped_key } }));
    }
    const rows: Array<{ id: string; phone_key_version: number; phone_enc: Buffer }> = await this.db.query(
      `SELECT id, phone_key_version, phone_enc FROM dnc_entries
        WHERE phone_key_version < ? AND id > ? ORDER BY id LIMIT ?`,
      [version, afterId, limit],
    );
    return rows.map((r) => ({ id: r.id, wrapped: { keyId: key, version: Number(r.phone_key_version), ciphertext: r.phone_enc } }));
  }

  async replaceDncWrapped(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE dnc_entries SET phone_key_version = ?, phone_enc = ?
        WHERE id = ? AND phone_key_version = ? AND phone_enc = ?`,
      [next.version, next.ciphertext, id, previous.version, previous.ciphertext],
    );
    return affectedRows(result) === 1;
  }

  async secondsSinceCreated(key: ManagedKeyName, version: number): Promise<number | null> {
    const rows: Array<{ s: string | number }> = await this.db.query(
      'SELECT TIMESTAMPDIFF(MICROSECOND, created_at, CURRENT_TIMESTAMP(3)) / 1000000 AS s FROM kms_key_versions WHERE key_id = ? AND version = ?',
      [key, version],
    );
    return rows[0] ? Number(rows[0].s) : null;
  }
}
