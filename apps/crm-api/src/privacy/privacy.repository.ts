import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

export type PrivacyRequestKind = 'export' | 'rectify' | 'erase';
export type PrivacyRequestStatus = 'open' | 'completed' | 'rejected';

export interface PrivacyRequest {
  id: string;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  /** Why a request was rejected: a code (subject_not_found, subject_erased, legal_hold…). */
  reason: string | null;
  subjectId: string | null;
  reference: string | null;
  requestedBy: string;
  createdAt: Date;
  completedAt: Date | null;
}

export interface CallRecordSummary {
  id: string;
  callId: string;
  leadId: string;
  campaignId: string;
  agentId: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  outcome: string;
  dispositionCode: string | null;
  recordingId: string | null;
}

export interface SealedNote {
  id: string;
  leadId: string;
  authorId: string;
  body: Buffer;
  createdAt: Date;
}

export interface CallbackSummary {
  id: string;
  leadId: string;
  agentId: string | null;
  dueAt: Date;
  status: string;
  createdAt: Date;
}

/** The recordings of a person's calls, found by recording id or by call id. */
export interface RecordingLinks {
  recordingIds: readonly string[];
  callIds: readonly string[];
}

/** Data-subject requests and what is held about a person outside the leads table. */
export abstract class PrivacyRepository {
  abstract createRequest(r: { id: string; kind: PrivacyRequestKind; subjectId: string; reference: string | null; requestedBy: string }): Promise<void>;
  abstract finishRequest(id: string, status: Exclude<PrivacyRequestStatus, 'open'>, reason: string | null): Promise<void>;
  abstract findRequest(id: string): Promise<PrivacyRequest | null>;
  abstract listRequests(limit: number, subjectId: string | null): Promise<PrivacyRequest[]>;
  abstract callRecords(leadIds: readonly string[]): Promise<CallRecordSummary[]>;
  abstract notes(leadIds: readonly string[]): Promise<SealedNote[]>;
  abstract callbacks(leadIds: readonly string[]): Promise<CallbackSummary[]>;
  /** Recording ids linked to these calls; empty while the recordings table does not exist. */
  abstract recordings(links: RecordingLinks): Promise<Array<{ id: string; legalHold: boolean }>>;
  abstract deleteNotes(leadIds: readonly string[]): Promise<number>;
  abstract cancelCallbacks(leadIds: readonly string[]): Promise<number>;
  /** Destroys the recordings' wrapped keys (their audio becomes unreadable) and marks them deleted. */
  abstract shredRecordings(recordingIds: readonly string[]): Promise<number>;
}

interface RequestRow {
  id: string;
  kind: PrivacyRequestKind;
  status: PrivacyRequestStatus;
  reason: string | null;
  subject_id: string | null;
  reference: string | null;
  requested_by: string;
  created_at: Date;
  completed_at: Date | null;
}

@Injectable()
export class TypeormPrivacyRepository extends PrivacyRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async createRequest(r: { id: string; kind: PrivacyRequestKind; subjectId: string; reference: string | null; requestedBy: string }): Promise<void> {
    await this.db.query(`INSERT INTO privacy_requests (id, kind, status, subject_id, reference, requested_by) VALUES (?, ?, 'open', ?, ?, ?)`, [
      r.id,
      r.kind,
      r.subjectId,
      r.reference,
      r.requestedBy,
    ]);
  }

  async finishRequest(id: string, status: Exclude<PrivacyRequestStatus, 'open'>, reason: string | null): Promise<void> {
    await this.db.query(`UPDATE privacy_requests SET status = ?, reason = ?, completed_at = UTC_TIMESTAMP(3) WHERE id = ? AND status = 'open'`, [
      status,
      reason,
      id,
    ]);
  }

  async findRequest(id: string): Promise<PrivacyRequest | null> {
    const rows: RequestRow[] = await this.db.query('SELECT * FROM privacy_requests WHERE id = ?', [id]);
    return rows[0] ? toRequest(rows[0]) : null;
  }

  async listRequests(limit: number, subjectId: string | null): Promise<PrivacyRequest[]> {
    const rows: RequestRow[] = subjectId
      ? await this.db.query('SELECT * FROM privacy_requests WHERE subject_id = ? ORDER BY created_at DESC, id LIMIT ?', [subjectId, limit])
      : await this.db.query('SELECT * FROM privacy_requests ORDER BY created_at DESC, id LIMIT ?', [limit]);
    return rows.map(toRequest);
  }

  async callRecords(leadIds: readonly string[]): Promise<CallRecordSummary[]> {
    if (leadIds.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT id, call_id, lead_id, campaign_id, agent_id, started_at, answered_at, ended_at, outcome, disposition_code, recording_id
         FROM call_records WHERE lead_id IN (?) ORDER BY started_at, id`,
      [[...leadIds]],
    );
    return rows.map((r) => ({
      id: r.id as string,
      callId: r.call_id as string,
      leadId: r.lead_id as string,
      campaignId: r.campaign_id as string,
      agentId: (r.agent_id as string | null) ?? null,
      startedAt: r.started_at as Date,
      answeredAt: (r.answered_at as Date | null) ?? null,
      endedAt: (r.ended_at as Date | null) ?? null,
      outcome: r.outcome as string,
      dispositionCode: (r.disposition_code as string | null) ?? null,
      recordingId: (r.recording_id as string | null) ?? null,
    }));
  }

  async notes(leadIds: readonly string[]): Promise<SealedNote[]> {
    if (leadIds.length === 0) return [];
    const rows: Array<{ id: string; lead_id: string; author_id: string; body_enc: Buffer; created_at: Date }> = await this.db.query(
      'SELECT id, lead_id, author_id, body_enc, created_at FROM lead_notes WHERE lead_id IN (?) ORDER BY created_at, id',
      [[...leadIds]],
    );
    return rows.map((r) => ({ id: r.id, leadId: r.lead_id, authorId: r.author_id, body: r.body_enc, createdAt: r.created_at }));
  }

  async callbacks(leadIds: readonly string[]): Promise<CallbackSummary[]> {
    if (leadIds.length === 0) return [];
    const rows: Array<{ id: string; lead_id: string; agent_id: string | null; due_at: Date; status: string; created_at: Date }> = await this.db.query(
      'SELECT id, lead_id, agent_id, due_at, status, created_at FROM callbacks WHERE lead_id IN (?) ORDER BY due_at, id',
      [[...leadIds]],
    );
    return rows.map((r) => ({ id: r.id, leadId: r.lead_id, agentId: r.agent_id, dueAt: r.due_at, status: r.status, createdAt: r.created_at }));
  }

  async recordings(links: RecordingLinks): Promise<Array<{ id: string; legalHold: boolean }>> {
    if ((links.recordingIds.length === 0 && links.callIds.length === 0) || !(await this.recordingsTableExists())) return [];
    const rows: Array<{ id: string; legal_hold: number }> = await this.db.query(
      'SELECT id, legal_hold FROM recordings WHERE id IN (?) OR call_id IN (?) ORDER BY id',
      [orNone(links.recordingIds), orNone(links.callIds)],
    );
    return rows.map((r) => ({ id: r.id, legalHold: Number(r.legal_hold) === 1 }));
  }

  async deleteNotes(leadIds: readonly string[]): Promise<number> {
    if (leadIds.length === 0) return 0;
    return affectedRows(await this.db.query('DELETE FROM lead_notes WHERE lead_id IN (?)', [[...leadIds]]));
  }

  async cancelCallbacks(leadIds: readonly string[]): Promise<number> {
    if (leadIds.length === 0) return 0;
    return affectedRows(await this.db.query(`UPDATE callbacks SET status = 'cancelled' WHERE lead_id IN (?) AND status = 'pending'`, [[...leadIds]]));
  }

  async shredRecordings(recordingIds: readonly string[]): Promise<number> {
    if (recordingIds.length === 0 || !(await this.recordingsTableExists())) return 0;
    const result = await this.db.query(
      `UPDATE recordings SET wrapped_key = NULL, status = 'deleted', deleted_at = COALESCE(deleted_at, UTC_TIMESTAMP(3))
        WHERE id IN (?) AND (wrapped_key IS NOT NULL OR status <> 'deleted')`,
      [[...recordingIds]],
    );
    return affectedRows(result);
  }

  // The recording service owns that table and may not have migrated it yet in every deployment.
  private async recordingsTableExists(): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'recordings'`,
    );
    return rows.length > 0;
  }
}

function orNone(ids: readonly string[]): string[] {
  // IN () is not valid SQL; '' matches no id.
  return ids.length > 0 ? [...ids] : [''];
}

function toRequest(r: RequestRow): PrivacyRequest {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    reason: r.reason,
    subjectId: r.subject_id,
    reference: r.reference,
    requestedBy: r.requested_by,
    createdAt: r.created_at,
    completedAt: r.completed_at,
  };
}
