import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KmsCiphertext } from '@app/crypto';
import { LeadDbRow, toLeadRow } from '../leads/lead.repository';
import { LeadRow } from '../leads/lead.types';

export interface ExportableLead {
  lead: LeadRow;
  /** The person's wrapped data key; null once destroyed. */
  wrapped: KmsCiphertext | null;
}

/** Reads a campaign's leads for export, page by page, so an export never holds a campaign in memory. */
export abstract class LeadExportRepository {
  /** Leads not erased, in id order, after `afterId` (keyset pagination: stable under concurrent inserts). */
  abstract page(campaignId: string, afterId: string | null, limit: number): Promise<ExportableLead[]>;
}

type Row = LeadDbRow & { ds_key_id: string | null; ds_key_version: number | null; ds_wrapped_key: Buffer | null };

@Injectable()
export class TypeormLeadExportRepository extends LeadExportRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async page(campaignId: string, afterId: string | null, limit: number): Promise<ExportableLead[]> {
    const rows: Row[] = await this.db.query(
      `SELECT l.*, s.key_id AS ds_key_id, s.key_version AS ds_key_version, s.wrapped_key AS ds_wrapped_key
         FROM leads l JOIN data_subjects s ON s.id = l.subject_id
        WHERE l.campaign_id = ? AND l.status <> 'erased' AND l.id > ?
        ORDER BY l.id LIMIT ?`,
      [campaignId, afterId ?? '', limit],
    );
    return rows.map((r) => ({
      lead: toLeadRow(r),
      wrapped:
        r.ds_wrapped_key && r.ds_key_id && r.ds_key_version !== null
          ? { keyId: r.ds_key_id, version: Number(r.ds_key_version), ciphertext: r.ds_wrapped_key }
          : null,
    }));
  }
}
