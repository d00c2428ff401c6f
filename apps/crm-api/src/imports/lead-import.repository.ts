import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { ImportCounts, ImportIssue, LeadImport, LeadImportStatus } from './lead-import.types';

/**
 * Imports, their issues, and the clean-up of an import that did not finish. Times are the database's
 * (CURRENT_TIMESTAMP, as data_subjects.created_at), so instances on different hosts compare
 * heartbeats on one clock.
 */
export abstract class LeadImportRepository {
  abstract create(i: { id: string; listId: string; campaignId: string; bytesTotal: number | null; createdBy: string | null }): Promise<void>;
  abstract findById(id: string): Promise<LeadImport | null>;
  /** Progress and heartbeat; false when the import is no longer running (another instance rolled it back). */
  abstract progress(id: string, bytesDone: number, counts: ImportCounts): Promise<boolean>;
  abstract heartbeat(id: string): Promise<boolean>;
  abstract complete(id: string, bytesDone: number, counts: ImportCounts): Promise<boolean>;
  /** A final failure before anything was written (no rollback to do). */
  abstract failFinal(id: string, error: string): Promise<boolean>;
  abstract addIssues(importId: string, issues: readonly ImportIssue[]): Promise<void>;
  abstract listIssues(importId: string, offset: number, limit: number): Promise<ImportIssue[]>;
  /** running → failed (rollback under way); false when it was not running. */
  abstract startRollback(id: string, error: string): Promise<boolean>;
  /** Imports whose heartbeat stopped: running, or a rollback whose instance died. */
  abstract findStale(staleSeconds: number, limit: number): Promise<string[]>;
  /** Takes over a stale import for rollback; only one instance wins. */
  abstract claimStale(id: string, staleSeconds: number, error: string): Promise<boolean>;
  /** Deletes some of the import's leads, and the people created for them that nothing else references. */
  abstract deleteLeadsChunk(importId: string, limit: number): Promise<{ leads: number; subjects: number }>;
  abstract finishRollback(id: string): Promise<boolean>;
  /** Which import (if any) wrote the lead holding each of these numbers in the campaign. */
  abstract phoneOwners(campaignId: string, phoneBidxs: readonly string[]): Promise<Map<string, string | null>>;
}

interface Row {
  id: string;
  list_id: string;
  campaign_id: string;
  status: LeadImportStatus;
  bytes_total: string | null;
  bytes_done: string;
  rows_done: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  duplicates_in_file: number;
  dnc_excluded: number;
  error: string | null;
  heartbeat_at: Date;
  created_by: string | null;
  started_at: Date;
  finished_at: Date | null;
}

const COUNT_SET = `bytes_done = ?, rows_done = ?, accepted = ?, rejected = ?, duplicates = ?, duplicates_in_file = ?, dnc_excluded = ?`;

function countParams(bytesDone: number, c: ImportCounts): number[] {
  return [bytesDone, c.rowsDone, c.accepted, c.rejected, c.duplicates, c.duplicatesInFile, c.dncExcluded];
}

@Injectable()
export class TypeormLeadImportRepository extends LeadImportRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async create(i: { id: string; listId: string; campaignId: string; bytesTotal: number | null; createdBy: string | null }): Promise<void> {
    await this.db.query(
      `INSERT INTO lead_imports (id, list_id, campaign_id, status, bytes_total, created_by, started_at, heartbeat_at)
       VALUES (?, ?, ?, 'running', ?, ?, CURRENT_TIMESTAMP(3), CURRENT_TIMESTAMP(3))`,
      [i.id, i.listId, i.campaignId, i.bytesTotal, i.createdBy],
    );
  }

  async findById(id: string): Promise<LeadImport | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM lead_imports WHERE id = ?', [id]);
    return rows[0] ? toImport(rows[0]) : null;
  }

  async progress(id: string, bytesDone: number, counts: ImportCounts): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE lead_imports SET ${COUNT_SET}, heartbeat_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'running'`,
      [...countParams(bytesDone, counts), id],
    );
    return affectedRows(result) === 1;
  }

  async heartbeat(id: string): Promise<boolean> {
    const result = await this.db.query(`UPDATE lead_imports SET heartbeat_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'running'`, [id]);
    return affectedRows(result) === 1;
  }

  async complete(id: string, bytesDone: number, counts: ImportCounts): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE lead_imports SET ${COUNT_SET}, status = 'completed', heartbeat_at = CURRENT_TIMESTAMP(3), finished_at = CURRENT_TIMESTAMP(3)
        WHERE id = ? AND status = 'running'`,
      [...countParams(bytesDone, counts), id],
    );
    return affectedRows(result) === 1;
  }

  async failFinal(id: string, error: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE lead_imports SET status = 'failed', error = ?, finished_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'running'`,
      [error.slice(0, 255), id],
    );
    return affectedRows(result) === 1;
  }

  async addIssues(importId: string, issues: readonly ImportIssue[]): Promise<void> {
    if (issues.length === 0) return;
    await this.db.query('INSERT INTO lead_import_issues (import_id, line, kind, reason) VALUES ?', [
      issues.map((i) => [importId, i.line, i.kind, i.reason.slice(0, 255)]),
    ]);
  }

  async listIssues(importId: string, offset: number, limit: number): Promise<ImportIssue[]> {
    const rows: ImportIssue[] = await this.db.query(
      'SELECT line, kind, reason FROM lead_import_issues WHERE import_id = ? ORDER BY line, id LIMIT ? OFFSET ?',
      [importId, limit, offset],
    );
    return rows.map((r) => ({ line: Number(r.line), kind: r.kind, reason: r.reason }));
  }

  async startRollback(id: string, error: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE lead_imports SET status = 'failed', error = ?, heartbeat_at = CURRENT_TIMESTAMP(3) WHERE id = ? AND status = 'running'`,
      [error.slice(0, 255), id],
    );
    return affectedRows(result) === 1;
  }

  async findStale(staleSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM lead_imports
        WHERE (status = 'running' OR status = 'failed' AND finished_at IS NULL)
          AND heartbeat_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND
        ORDER BY heartbeat_at LIMIT ?`,
      [staleSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  async claimStale(id: string, staleSeconds: number, error: string): Promise<boolean> {
    // The heartbeat moves with the claim: a second instance no longer sees the import as stale.
    const result = await this.db.query(
      `UPDATE lead_imports SET status = 'failed', error = COALESCE(error, ?), heartbeat_at = CURRENT_TIMESTAMP(3)
        WHERE id = ? AND (status = 'running' OR status = 'failed' AND finished_at IS NULL)
          AND heartbeat_at < CURRENT_TIMESTAMP(3) - INTERVAL ? SECOND`,
      [error.slice(0, 255), id, staleSeconds],
    );
    return affectedRows(result) === 1;
  }

  async deleteLeadsChunk(importId: string, limit: number): Promise<{ leads: number; subjects: number }> {
    return this.db.transaction(async (em) => {
      const rows: Array<{ id: string; subject_id: string }> = await em.query(
        'SELECT id, subject_id FROM leads WHERE import_id = ? LIMIT ? FOR UPDATE',
        [importId, limit],
      );
      if (rows.length === 0) return { leads: 0, subjects: 0 };
      await em.query(
        `UPDATE lead_imports SET heartbeat_at = CURRENT_TIMESTAMP(3) WHERE id = ?`,
        [importId],
      );
      const deleted = await em.query('DELETE FROM leads WHERE id IN (?)', [rows.map((r) => r.id)]);
      // Only people this import created (not before it started) and that nothing else refers to: a
      // person already known from another campaign keeps their key.
      const subjects = await em.query(
        `DELETE s FROM data_subjects s JOIN lead_imports i ON i.id = ?
          WHERE s.id IN (?) AND s.created_at >= i.started_at
            AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.subject_id = s.id)
            AND NOT EXISTS (SELECT 1 FROM privacy_requests p WHERE p.subject_id = s.id)`,
        [importId, [...new Set(rows.map((r) => r.subject_id))]],
      );
      return { leads: affectedRows(deleted), subjects: affectedRows(subjects) };
    });
  }

  async finishRollback(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE lead_imports SET status = 'rolled_back', finished_at = CURRENT_TIMESTAMP(3)
        WHERE id = ? AND status = 'failed' AND finished_at IS NULL`,
      [id],
    );
    return affectedRows(result) === 1;
  }

  async phoneOwners(campaignId: string, phoneBidxs: readonly string[]): Promise<Map<string, string | null>> {
    if (phoneBidxs.length === 0) return new Map();
    const rows: Array<{ phone_bidx: string; import_id: string | null }> = await this.db.query(
      'SELECT phone_bidx, import_id FROM leads WHERE campaign_id = ? AND phone_bidx IN (?)',
      [campaignId, [...phoneBidxs]],
    );
    return new Map(rows.map((r) => [r.phone_bidx, r.import_id]));
  }
}

function toImport(r: Row): LeadImport {
  return {
    id: r.id,
    listId: r.list_id,
    campaignId: r.campaign_id,
    status: r.status,
    error: r.error,
    bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
    bytesDone: Number(r.bytes_done),
    rowsDone: Number(r.rows_done),
    accepted: Number(r.accepted),
    rejected: Number(r.rejected),
    duplicates: Number(r.duplicates),
    duplicatesInFile: Number(r.duplicates_in_file),
    dncExcluded: Number(r.dnc_excluded),
    createdBy: r.created_by,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    finishedAt: r.finished_at,
  };
}
