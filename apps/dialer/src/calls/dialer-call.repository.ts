import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows, withLockRetry } from '@app/database';
import { DialMode } from '../campaigns/dial-campaign.repository';
import { CallOutcome } from '../session/call-outcome';

export type DialerCallState = 'dialing' | 'ringing' | 'answered' | 'bridged' | 'ended';

export interface DialerCallOpen {
  callId: string;
  instanceId: string;
  campaignId: string;
  /** Null only for a call that serves no lead. */
  leadId: string | null;
  agentId: string | null;
  dialMode: DialMode;
  startedAt: Date;
}

export interface DialerCallClose {
  endedAt: Date;
  outcome: CallOutcome;
  sipStatus: number | null;
  trunk: string | null;
  recordingId: string | null;
}

/** One call as the dialer recorded it: the CDR, and its place in the outbox to the CRM. */
export interface DialerCallRecord {
  callId: string;
  instanceId: string;
  campaignId: string;
  leadId: string | null;
  agentId: string | null;
  dialMode: DialMode;
  trunk: string | null;
  state: DialerCallState;
  startedAt: Date;
  ringAt: Date | null;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date | null;
  outcome: CallOutcome | null;
  sipStatus: number | null;
  recordingId: string | null;
  reportedAt: Date | null;
  /** Times the CRM refused this record. */
  reportAttempts: number;
}

/**
 * Live answered calls and abandoned ones, over the last 30 days and the last 24 hours (by start).
 * `answered*` counts calls answered by a person and put through to an agent; the rate is
 * abandoned / (answered + abandoned), 0 when there were none. Machine answers are not live calls.
 */
export interface AbandonStats {
  answered30d: number;
  abandoned30d: number;
  rate30d: number;
  answered24h: number;
  abandoned24h: number;
  rate24h: number;
}

/** Thrown by open() when the lead is no longer held by the instance: the call must not be placed. */
export class LeadNotHeldError extends Error {
  constructor() {
    super('the lead is no longer reserved by this dialer instance');
    this.name = 'LeadNotHeldError';
  }
}

/** After this many refusals by the CRM a record is left for an operator instead of being offered again. */
export const MAX_REPORT_REFUSALS = 10;

export abstract class DialerCallRepository {
  /**
   * Opens the CDR of a call about to be placed and counts the attempt on its lead, in one transaction
   * (the dialer owns the attempt count; see LeadQueueRepository). Throws LeadNotHeldError when the lead
   * is no longer reserved by `instanceId`: then nothing is written and no call may be placed.
   */
  abstract open(call: DialerCallOpen): Promise<void>;
  /** First ring; the trunk is the one that rang (the last one tried after a failover). */
  abstract markRinging(callId: string, at: Date, trunk: string): Promise<void>;
  abstract markAnswered(callId: string, at: Date): Promise<void>;
  /**
   * The customer is with an agent (again, after a transfer: the latest agent is kept). The lead, still
   * held by the call's instance, is assigned to that agent, so they can read its card and dispose of it.
   */
  abstract markBridged(callId: string, at: Date, agentId: string): Promise<void>;
  /** Ends the call; a second close of the same call changes nothing. */
  abstract close(callId: string, end: DialerCallClose): Promise<void>;
  /** Ended calls the CRM has not acknowledged yet, fewest refusals first, then oldest first. */
  abstract unreported(limit: number): Promise<DialerCallRecord[]>;
  abstract markReported(callId: string, at: Date): Promise<void>;
  /** The CRM refused the record; it is offered again later, after those it has not refused. */
  abstract markReportFailed(callId: string): Promise<void>;
  abstract abandonStats(campaignId: string, now: Date): Promise<AbandonStats>;
  /** Calls not ended yet, of one instance or of all. */
  abstract liveCalls(instanceId?: string): Promise<DialerCallRecord[]>;
  abstract find(callId: string): Promise<DialerCallRecord | null>;
}

interface Row {
  call_id: string;
  instance_id: string;
  campaign_id: string;
  lead_id: string | null;
  agent_id: string | null;
  dial_mode: DialMode;
  trunk: string | null;
  state: DialerCallState;
  started_at: Date;
  ring_at: Date | null;
  answered_at: Date | null;
  bridged_at: Date | null;
  ended_at: Date | null;
  outcome: CallOutcome | null;
  sip_status: number | null;
  recording_id: string | null;
  reported_at: Date | null;
  report_attempts: number;
}

const DAY_MS = 24 * 3600 * 1000;

@Injectable()
export class TypeormDialerCallRepository extends DialerCallRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  open(c: DialerCallOpen): Promise<void> {
    return withLockRetry(() =>
      this.db.transaction(async (em) => {
        if (c.leadId) {
          const counted = await em.query(
            `UPDATE leads SET attempts = LEAST(attempts + 1, 65535) WHERE id = ? AND reserved_by = ? AND status = 'reserved'`,
            [c.leadId, c.instanceId],
          );
          if (affectedRows(counted) !== 1) throw new LeadNotHeldError();
        }
        await em.query(
          `INSERT INTO dialer_calls (call_id, instance_id, campaign_id, lead_id, agent_id, dial_mode, state, started_at)
           VALUES (?, ?, ?, ?, ?, ?, 'dialing', ?)`,
          [c.callId, c.instanceId, c.campaignId, c.leadId, c.agentId, c.dialMode, c.startedAt],
        );
      }),
    );
  }

  async markRinging(callId: string, at: Date, trunk: string): Promise<void> {
    await this.db.query(
      `UPDATE dialer_calls SET state = IF(state = 'dialing', 'ringing', state), ring_at = COALESCE(ring_at, ?), trunk = ?
        WHERE call_id = ? AND state IN ('dialing','ringing')`,
      [at, trunk, callId],
    );
  }

  async markAnswered(callId: string, at: Date): Promise<void> {
    await this.db.query(
      `UPDATE dialer_calls SET state = 'answered', answered_at = COALESCE(answered_at, ?) WHERE call_id = ? AND state IN ('dialing','ringing')`,
      [at, callId],
    );
  }

  markBridged(callId: string, at: Date, agentId: string): Promise<void> {
    return withLockRetry(() =>
      this.db.transaction(async (em) => {
        const rows: Array<Pick<Row, 'lead_id' | 'instance_id'>> = await em.query(
          `SELECT lead_id, instance_id FROM dialer_calls WHERE call_id = ? AND state <> 'ended' FOR UPDATE`,
          [callId],
        );
        const call = rows[0];
        if (!call) return;
        if (call.lead_id) {
          await em.query(`UPDATE leads SET assigned_agent_id = ? WHERE id = ? AND reserved_by = ? AND status = 'reserved'`, [
            agentId,
            call.lead_id,
            call.instance_id,
          ]);
        }
        await em.query(
          `UPDATE dialer_calls SET state = 'bridged', bridged_at = COALESCE(bridged_at, ?), answered_at = COALESCE(answered_at, ?), agent_id = ?
            WHERE call_id = ?`,
          [at, at, agentId, callId],
        );
      }),
    );
  }

  async close(callId: string, end: DialerCallClose): Promise<void> {
    await this.db.query(
      `UPDATE dialer_calls SET state = 'ended', ended_at = ?, outcome = ?, sip_status = ?, trunk = COALESCE(?, trunk),
              recording_id = COALESCE(?, recording_id)
        WHERE call_id = ? AND state <> 'ended'`,
      [end.endedAt, end.outcome, end.sipStatus, end.trunk, end.recordingId, callId],
    );
  }

  async unreported(limit: number): Promise<DialerCallRecord[]> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM dialer_calls
        WHERE reported_at IS NULL AND state = 'ended' AND report_attempts < ?
        ORDER BY report_attempts, ended_at, call_id LIMIT ?`,
      [MAX_REPORT_REFUSALS, limit],
    );
    return rows.map(toRecord);
  }

  async markReported(callId: string, at: Date): Promise<void> {
    await this.db.query('UPDATE dialer_calls SET reported_at = ? WHERE call_id = ? AND reported_at IS NULL', [at, callId]);
  }

  async markReportFailed(callId: string): Promise<void> {
    await this.db.query('UPDATE dialer_calls SET report_attempts = report_attempts + 1 WHERE call_id = ? AND reported_at IS NULL', [callId]);
  }

  async abandonStats(campaignId: string, now: Date): Promise<AbandonStats> {
    const dayAgo = new Date(now.getTime() - DAY_MS);
    const rows: Array<Record<'a30' | 'x30' | 'a24' | 'x24', string | number | null>> = await this.db.query(
      `SELECT SUM(outcome = 'answered') AS a30, SUM(outcome = 'abandoned') AS x30,
              SUM(outcome = 'answered' AND started_at >= ?) AS a24, SUM(outcome = 'abandoned' AND started_at >= ?) AS x24
         FROM dialer_calls
        WHERE campaign_id = ? AND started_at >= ? AND started_at <= ? AND outcome IN ('answered','abandoned')`,
      [dayAgo, dayAgo, campaignId, new Date(now.getTime() - 30 * DAY_MS), now],
    );
    const r = rows[0];
    const n = (v: string | number | null | undefined) => Number(v ?? 0);
    const rate = (answered: number, abandoned: number) => (answered + abandoned === 0 ? 0 : abandoned / (answered + abandoned));
    const [a30, x30, a24, x24] = [n(r?.a30), n(r?.x30), n(r?.a24), n(r?.x24)];
    return { answered30d: a30, abandoned30d: x30, rate30d: rate(a30, x30), answered24h: a24, abandoned24h: x24, rate24h: rate(a24, x24) };
  }

  async liveCalls(instanceId?: string): Promise<DialerCallRecord[]> {
    const rows: Row[] = await this.db.query(
      `SELECT * FROM dialer_calls WHERE state IN ('dialing','ringing','answered','bridged') ${instanceId ? 'AND instance_id = ?' : ''}
        ORDER BY started_at, call_id`,
      instanceId ? [instanceId] : [],
    );
    return rows.map(toRecord);
  }

  async find(callId: string): Promise<DialerCallRecord | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM dialer_calls WHERE call_id = ?', [callId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }
}

function toRecord(r: Row): DialerCallRecord {
  return {
    callId: r.call_id,
    instanceId: r.instance_id,
    campaignId: r.campaign_id,
    leadId: r.lead_id,
    agentId: r.agent_id,
    dialMode: r.dial_mode,
    trunk: r.trunk,
    state: r.state,
    startedAt: r.started_at,
    ringAt: r.ring_at,
    answeredAt: r.answered_at,
    bridgedAt: r.bridged_at,
    endedAt: r.ended_at,
    outcome: r.outcome,
    sipStatus: r.sip_status === null ? null : Number(r.sip_status),
    recordingId: r.recording_id,
    reportedAt: r.reported_at,
    reportAttempts: Number(r.report_attempts),
  };
}
