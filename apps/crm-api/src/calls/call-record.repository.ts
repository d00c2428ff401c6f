import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CallOutcome, CallRecord, CallRecordFilter, CallRecordInput, CallRecordScope, CallRecordUpsertResult } from './call-record.types';

export abstract class CallRecordRepository {
  /**
   * Inserts a CDR, or, when its call id is already stored (a retry), fills in what the stored record
   * still lacks. The first insert of a call id records the lead's last outcome and attempt time; the
   * attempt itself was already counted by the dialer when it placed the call (it needs the count to
   * decide the lead's next status, before this record may even have arrived).
   */
  abstract upsert(input: CallRecordInput): Promise<CallRecordUpsertResult>;
  abstract findById(id: string): Promise<CallRecord | null>;
  abstract list(scope: CallRecordScope, filter: CallRecordFilter): Promise<CallRecord[]>;
}

interface Row {
  id: string;
  call_id: string;
  lead_id: string | null;
  campaign_id: string;
  agent_id: string | null;
  started_at: Date;
  ring_at: Date | null;
  answered_at: Date | null;
  bridged_at: Date | null;
  ended_at: Date | null;
  outcome: CallOutcome;
  sip_status: number | null;
  trunk: string | null;
  recording_id: string | null;
  disposition_code: string | null;
  created_at: Date;
}

@Injectable()
export class TypeormCallRecordRepository extends CallRecordRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  upsert(c: CallRecordInput): Promise<CallRecordUpsertResult> {
    return this.db.transaction(async (em) => {
      const id = randomUUID();
      // A no-op on a duplicate call id: the row is then locked, and whether it is ours is told by its id
      // (affectedRows cannot tell an insert from a found duplicate when the driver reports found rows).
      await em.query(
        `INSERT INTO call_records (id, call_id, lead_id, campaign_id, agent_id, started_at, ring_at, answered_at, bridged_at,
           ended_at, outcome, sip_status, trunk, recording_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE call_id = call_id`,
        [
          id,
          c.callId,
          c.leadId,
          c.campaignId,
          c.agentId,
          c.startedAt,
          c.ringAt,
          c.answeredAt,
          c.bridgedAt,
          c.endedAt,
          c.outcome,
          c.sipStatus,
          c.trunk,
          c.recordingId,
        ],
      );
      const rows: Row[] = await em.query('SELECT * FROM call_records WHERE call_id = ? FOR UPDATE', [c.callId]);
      const stored = rows[0];
      if (stored.id === id) {
        if (c.leadId) await this.recordAttempt(em, c.leadId, c.outcome, c.startedAt);
        return { status: 'inserted', id };
      }
      if (!sameCall(stored, c)) return { status: 'conflict' };
      // A later report of the same call may know more (the end, the recording, the agent it was
      // bridged to); what is already stored is kept, except the outcome, which the latest report knows best.
      await em.query(
        `UPDATE call_records SET agent_id = COALESCE(agent_id, ?), ring_at = COALESCE(ring_at, ?),
                answered_at = COALESCE(answered_at, ?), bridged_at = COALESCE(bridged_at, ?), ended_at = COALESCE(ended_at, ?),
                sip_status = COALESCE(?, sip_status), trunk = COALESCE(trunk, ?), recording_id = COALESCE(recording_id, ?),
                outcome = ?
          WHERE id = ?`,
        [c.agentId, c.ringAt, c.answeredAt, c.bridgedAt, c.endedAt, c.sipStatus, c.trunk, c.recordingId, c.outcome, stored.id],
      );
      if (c.leadId && stored.outcome !== c.outcome) {
        await em.query('UPDATE leads SET last_outcome = ? WHERE id = ? AND last_attempt_at = ?', [c.outcome, c.leadId, stored.started_at]);
      }
      return { status: 'updated', id: stored.id };
    });
  }

  async findById(id: string): Promise<CallRecord | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM call_records WHERE id = ?', [id]);
    return rows[0] ? toCallRecord(rows[0]) : null;
  }

  async list(scope: CallRecordScope, f: CallRecordFilter): Promise<CallRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    switch (scope.kind) {
      case 'all':
        break;
      case 'agent':
        where.push('c.agent_id = ?');
        params.push(scope.agentId);
        break;
      case 'manager':
        where.push(`c.campaign_id IN (SELECT m.campaign_id FROM campaign_members m WHERE m.user_id = ? AND m.member_role = 'manager')`);
        params.push(scope.managerId);
        break;
    }
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      params.push(value);
    };
    if (f.campaignId) add('c.campaign_id = ?', f.campaignId);
    if (f.agentId) add('c.agent_id = ?', f.agentId);
    if (f.from) add('c.started_at >= ?', f.from);
    if (f.to) add('c.started_at < ?', f.to);
    if (f.outcome) add('c.outcome = ?', f.outcome);
    const rows: Row[] = await this.db.query(
      `SELECT c.* FROM call_records c ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY c.started_at DESC, c.id LIMIT ? OFFSET ?`,
      [...params, f.limit, f.offset],
    );
    return rows.map(toCallRecord);
  }

  /** Not `attempts`: the dialer counts those (DialerCallRepository.open), and counting here too would count twice. */
  private async recordAttempt(em: EntityManager, leadId: string, outcome: CallOutcome, startedAt: Date): Promise<void> {
    await em.query('UPDATE leads SET last_outcome = ?, last_attempt_at = ? WHERE id = ?', [outcome, startedAt, leadId]);
  }
}

/** Whether a stored record and a report describe the same call; ids may be filled in, never changed. */
function sameCall(stored: Row, c: CallRecordInput): boolean {
  return (
    stored.campaign_id === c.campaignId &&
    stored.started_at.getTime() === c.startedAt.getTime() &&
    stored.lead_id === c.leadId &&
    (stored.agent_id === null || c.agentId === null || stored.agent_id === c.agentId)
  );
}

function toCallRecord(r: Row): CallRecord {
  return {
    id: r.id,
    callId: r.call_id,
    leadId: r.lead_id,
    campaignId: r.campaign_id,
    agentId: r.agent_id,
    startedAt: r.started_at,
    ringAt: r.ring_at,
    answeredAt: r.answered_at,
    bridgedAt: r.bridged_at,
    endedAt: r.ended_at,
    outcome: r.outcome,
    sipStatus: r.sip_status === null ? null : Number(r.sip_status),
    trunk: r.trunk,
    recordingId: r.recording_id,
    dispositionCode: r.disposition_code,
    createdAt: r.created_at,
  };
}
