import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { KmsCiphertext } from '@app/crypto';
import { affectedRows } from '@app/database';

export interface SubjectKeyRecord {
  id: string;
  phoneBidx: string | null;
  wrapped: KmsCiphertext | null;
  erasedAt: Date | null;
}

/** Data subjects (people) and their wrapped data keys. */
export abstract class SubjectRepository {
  abstract findByPhoneIndexes(phoneBidxs: readonly string[]): Promise<Map<string, SubjectKeyRecord>>;
  abstract findById(id: string): Promise<SubjectKeyRecord | null>;
  /** Inserts new subjects; those whose phone index is already taken (a concurrent insert) are skipped. */
  abstract createMany(subjects: ReadonlyArray<{ id: string; phoneBidx: string; wrapped: KmsCiphertext }>, em?: EntityManager): Promise<void>;
  /** Erasure: the wrapped key is destroyed, the phone index cleared. Irreversible. */
  abstract destroyKey(id: string): Promise<boolean>;
  abstract listWrappedBelowVersion(keyId: string, version: number, limit: number): Promise<SubjectKeyRecord[]>;
  /** Replaces a wrapped key only if it still is the one read (no lost update with a concurrent erasure). */
  abstract replaceWrapped(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean>;
}

interface Row {
  id: string;
  phone_bidx: string | null;
  key_id: string | null;
  key_version: number | null;
  wrapped_key: Buffer | null;
  erased_at: Date | null;
}

const COLUMNS = 'id, phone_bidx, key_id, key_version, wrapped_key, erased_at';

@Injectable()
export class TypeormSubjectRepository extends SubjectRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findByPhoneIndexes(phoneBidxs: readonly string[]): Promise<Map<string, SubjectKeyRecord>> {
    if (phoneBidxs.length === 0) return new Map();
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM data_subjects WHERE phone_bidx IN (?)`, [[...phoneBidxs]]);
    return new Map(rows.map((r) => [r.phone_bidx as string, toRecord(r)]));
  }

  async findById(id: string): Promise<SubjectKeyRecord | null> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM data_subjects WHERE id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async createMany(subjects: ReadonlyArray<{ id: string; phoneBidx: string; wrapped: KmsCiphertext }>, em?: EntityManager): Promise<void> {
    if (subjects.length === 0) return;
    await (em ?? this.db).query(
      'INSERT IGNORE INTO data_subjects (id, phone_bidx, key_id, key_version, wrapped_key) VALUES ?',
      [subjects.map((s) => [s.id, s.phoneBidx, s.wrapped.keyId, s.wrapped.version, s.wrapped.ciphertext])],
    );
  }

  async destroyKey(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE data_subjects SET wrapped_key = NULL, key_id = NULL, key_version = NULL, phone_bidx = NULL,
              erased_at = UTC_TIMESTAMP(3)
        WHERE id = ? AND erased_at IS NULL`,
      [id],
    );
    return affectedRows(result) === 1;
  }

  async listWrappedBelowVersion(keyId: string, version: number, limit: number): Promise<SubjectKeyRecord[]> {
    const rows: Row[] = await this.db.query(
      `SELECT ${COLUMNS} FROM data_subjects WHERE key_id = ? AND key_version < ? AND wrapped_key IS NOT NULL LIMIT ?`,
      [keyId, version, limit],
    );
    return rows.map(toRecord);
  }

  async replaceWrapped(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE data_subjects SET key_id = ?, key_version = ?, wrapped_key = ?
        WHERE id = ? AND key_version = ? AND wrapped_key = ?`,
      [next.keyId, next.version, next.ciphertext, id, previous.version, previous.ciphertext],
    );
    return affectedRows(result) === 1;
  }
}

function toRecord(r: Row): SubjectKeyRecord {
  return {
    id: r.id,
    phoneBidx: r.phone_bidx,
    wrapped:
      r.wrapped_key && r.key_id && r.key_version !== null
        ? { keyId: r.key_id, version: Number(r.key_version), ciphertext: r.wrapped_key }
        : null,
    erasedAt: r.erased_at,
  };
}
