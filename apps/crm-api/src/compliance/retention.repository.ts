import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

export interface ExpiredLead {
  id: string;
  subjectId: string;
}

/** Finding and deleting leads past their campaign's retention. */
export abstract class RetentionRepository {
  abstract campaignRetention(): Promise<Array<{ campaignId: string; leadRetentionDays: number }>>;
  /** Leads created before `before` and not under legal hold, oldest first. */
  abstract expiredLeads(campaignId: string, before: Date, limit: number): Promise<ExpiredLead[]>;
  /** How many leads past retention are kept because of a legal hold. */
  abstract heldCount(campaignId: string, before: Date): Promise<number>;
  /**
   * Deletes these leads (their notes and callbacks go with them), unless put under legal hold since
   * they were read; call records keep no link to them. Returns how many were deleted.
   */
  abstract deleteLeads(ids: readonly string[]): Promise<number>;
  /** Destroys the data keys of those of these people who have no lead left. Returns how many. */
  abstract destroyKeysOfSubjectsWithoutLeads(subjectIds: readonly string[]): Promise<number>;
}

@Injectable()
export class TypeormRetentionRepository extends RetentionRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async campaignRetention(): Promise<Array<{ campaignId: string; leadRetentionDays: number }>> {
    const rows: Array<{ id: string; lead_retention_days: number }> = await this.db.query('SELECT id, lead_retention_days FROM campaigns ORDER BY id');
    return rows.map((r) => ({ campaignId: r.id, leadRetentionDays: Number(r.lead_retention_days) }));
  }

  async expiredLeads(campaignId: string, before: Date, limit: number): Promise<ExpiredLead[]> {
    const rows: Array<{ id: string; subject_id: string }> = await this.db.query(
      `SELECT id, subject_id FROM leads WHERE campaign_id = ? AND created_at < ? AND legal_hold = 0 ORDER BY created_at, id LIMIT ?`,
      [campaignId, before, limit],
    );
    return rows.map((r) => ({ id: r.id, subjectId: r.subject_id }));
  }

  async heldCount(campaignId: string, before: Date): Promise<number> {
    const rows: Array<{ n: number | string }> = await this.db.query(
      'SELECT COUNT(*) AS n FROM leads WHERE campaign_id = ? AND created_at < ? AND legal_hold = 1',
      [campaignId, before],
    );
    return Number(rows[0]?.n ?? 0);
  }

  async deleteLeads(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    return this.db.transaction(async (em) => {
      // lead_notes and callbacks reference leads with ON DELETE CASCADE.
      const deleted = affectedRows(await em.query('DELETE FROM leads WHERE id IN (?) AND legal_hold = 0', [[...ids]]));
      await em.query(
        `UPDATE call_records c LEFT JOIN leads l ON l.id = c.lead_id SET c.lead_id = NULL WHERE c.lead_id IN (?) AND l.id IS NULL`,
        [[...ids]],
      );
      return deleted;
    });
  }

  async destroyKeysOfSubjectsWithoutLeads(subjectIds: readonly string[]): Promise<number> {
    if (subjectIds.length === 0) return 0;
    const result = await this.db.query(
      `UPDATE data_subjects s SET s.wrapped_key = NULL, s.key_id = NULL, s.key_version = NULL, s.phone_bidx = NULL,
              s.erased_at = UTC_TIMESTAMP(3)
        WHERE s.id IN (?) AND s.erased_at IS NULL AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.subject_id = s.id)`,
      [[...new Set(subjectIds)]],
    );
    return affectedRows(result);
  }
}
