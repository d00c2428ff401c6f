import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

export type DncSource = 'manual' | 'bulk' | 'disposition' | 'erasure';

export interface DncEntry {
  id: string;
  /** null for the global list. */
  campaignId: string | null;
  phoneBidx: string;
  /** Empty when only the index is kept (an erased person's number). */
  phoneCiphertext: Buffer;
  phoneKeyVersion: number;
  source: DncSource;
  reason: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export type NewDncEntry = Omit<DncEntry, 'createdAt'>;

/** Do-not-call lists: one global, one per campaign. Numbers are matched by blind index. */
export abstract class DncRepository {
  /** Of these phone indexes, those on the global list or on the campaign's list. */
  abstract listed(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>>;
  /** False when the number was already on that list. */
  abstract add(entry: NewDncEntry): Promise<boolean>;
  /** Adds many at once; returns the ids of the entries inserted (the others were already listed). */
  abstract addMany(entries: readonly NewDncEntry[]): Promise<Set<string>>;
  /**
   * Puts a number on a list by its index only (no ciphertext of the number), and strips the number
   * from every entry already holding it, on any list: after an erasure only the index remains.
   */
  abstract addIndexOnly(entry: Omit<NewDncEntry, 'phoneCiphertext' | 'phoneKeyVersion'>): Promise<boolean>;
  abstract find(campaignId: string | null, phoneBidx: string): Promise<DncEntry | null>;
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

  async add(e: NewDncEntry): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO dnc_entries (id, campaign_key, phone_bidx, phone_enc, phone_key_version, source, reason, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [e.id, e.campaignId ?? '', e.phoneBidx, e.phoneCiphertext, e.phoneKeyVersion, e.source, e.reason, e.createdBy],
    );
    return affectedRows(result) === 1;
  }

  async addMany(entries: readonly NewDncEntry[]): Promise<Set<string>> {
    if (entries.length === 0) return new Set();
    await this.db.query(
      `INSERT IGNORE INTO dnc_entries (id, campaign_key, phone_bidx, phone_enc, phone_key_version, source, reason, created_by) VALUES ?`,
      [entries.map((e) => [e.id, e.campaignId ?? '', e.phoneBidx, e.phoneCiphertext, e.phoneKeyVersion, e.source, e.reason, e.createdBy])],
    );
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM dnc_entries WHERE id IN (?)', [entries.map((e) => e.id)]);
    return new Set(rows.map((r) => r.id));
  }

  async addIndexOnly(e: Omit<NewDncEntry, 'phoneCiphertext' | 'phoneKeyVersion'>): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO dnc_entries (id, campaign_key, phone_bidx, phone_enc, phone_key_version, source, reason, created_by)
       VALUES (?, ?, ?, '', 0, ?, ?, ?)`,
      [e.id, e.campaignId ?? '', e.phoneBidx, e.source, e.reason, e.createdBy],
    );
    await this.db.query(`UPDATE dnc_entries SET phone_enc = '', phone_key_version = 0 WHERE phone_bidx = ? AND phone_enc <> ''`, [
      e.phoneBidx,
    ]);
    return affectedRows(result) === 1;
  }

  async find(campaignId: string | null, phoneBidx: string): Promise<DncEntry | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM dnc_entries WHERE campaign_key = ? AND phone_bidx = ?', [
      campaignId ?? '',
      phoneBidx,
    ]);
    return rows[0] ? toEntry(rows[0]) : null;
  }

  async remove(campaignId: string | null, phoneBidx: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM dnc_entries WHERE campaign_key = ? AND phone_bidx = ?', [campaignId ?? '', phoneBidx]);
    return affectedRows(result) === 1;
  }

  async list(campaignId: string | null, limit: number, offset: number): Promise<DncEntry[]> {
    const rows: Row[] = await this.db.query(
      'SELECT * FROM dnc_entries WHERE campaign_key = ? ORDER BY created_at DESC, id LIMIT ? OFFSET ?',
      [campaignId ?? '', limit, offset],
    );
    return rows.map(toEntry);
  }
}

function toEntry(r: Row): DncEntry {
  return {
    id: r.id,
    campaignId: r.campaign_key === '' ? null : r.campaign_key,
    phoneBidx: r.phone_bidx,
    phoneCiphertext: r.phone_enc,
    phoneKeyVersion: Number(r.phone_key_version),
    source: r.source,
    reason: r.reason,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}
