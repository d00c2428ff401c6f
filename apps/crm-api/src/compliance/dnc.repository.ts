import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

export type DncSource = 'manual' | 'bulk' | 'disposition' | 'erasure';

export interface DncEntry {
  id: string;
  /** null for the global list. */
  campaignId: string | null;
  phoneBidx: string;
  phoneCiphertext: Buffer;
  phoneKeyVersion: number;
  source: DncSource;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
}

/** Do-not-call lists: one global, one per campaign. Numbers are matched by blind index. */
export abstract class DncRepository {
  /** Of these phone indexes, those on the global list or on the campaign's list. */
  abstract listed(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>>;
  /** False when the number was already on that list. */
  abstract add(entry: Omit<DncEntry, 'createdAt'>): Promise<boolean>;
  abstract remove(campaignId: string | null, phoneBidx: string): Promise<boolean>;
  abstract list(campaignId: string | null, limit: number, offset: number): Promise<DncEntry[]>;
}

interface Row {
  id: string;
  campaign_key: string;
  phone_bidx: string;
  phone_enc: Buffer;
  phone_key_version: number;
  source: DncSource;
  reason: string | null;
  created_by: string | null;
  created_at: Date;
}

@Injectable()
export class TypeormDncRepository extends DncRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async listed(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>> {
    if (phoneBidxs.length === 0) return new Set();
    const rows: Array<{ phone_bidx: string }> = await this.db.query(
      `SELECT DISTINCT phone_bidx FROM dnc_entries WHERE campaign_key IN ('', ?) AND phone_bidx IN (?)`,
      [campaignId, [...phoneBidxs]],
    );
    return new Set(rows.map((r) => r.phone_bidx));
  }

  async add(e: Omit<DncEntry, 'createdAt'>): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO dnc_entries (id, campaign_key, phone_bidx, phone_enc, phone_key_version, source, reason, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.campaignId ?? '', e.phoneBidx, e.phoneCiphertext, e.phoneKeyVersion, e.source, e.reason, e.createdBy],
    );
    return affectedRows(result) === 1;
  }

  async remove(campaignId: string | null, phoneBidx: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM dnc_entries WHERE campaign_key = ? AND phone_bidx = ?', [campaignId ?? '', phoneBidx]);
    return affectedRows(result) === 1;
  }

  async list(campaignId: string | null, limit: number, offset: number): Promise<DncEntry[]> {
    const rows: Row[] = await this.db.query(
      'SELECT * FROM dnc_entries WHERE campaign_key = ? ORDER BY created_at DESC LIMIT ? OFFSET ?',
      [campaignId ?? '', limit, offset],
    );
    return rows.map((r) => ({
      id: r.id,
      campaignId: r.campaign_key === '' ? null : r.campaign_key,
      phoneBidx: r.phone_bidx,
      phoneCiphertext: r.phone_enc,
      phoneKeyVersion: Number(r.phone_key_version),
      source: r.source,
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: r.created_at,
    }));
  }
}
