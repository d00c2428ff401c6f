import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';

/**
 * The dialer's side of the recording contract, one row per recorded call: the campaign and agent it
 * belongs to, and how to tell the customer's media leg (its RTP SSRC, or the address it sends from,
 * as "ip:port" / "[ipv6]:port"). Every other RTP stream of the call is the agent's.
 */
export interface RecordedCall {
  callId: string;
  campaignId: string;
  agentUserId: string;
  customerSsrc: number | null;
  customerAddress: string | null;
  startedAt: Date;
}

export interface PauseRecord {
  startedAt: Date;
  endedAt: Date | null;
}

export abstract class CallRegistryRepository {
  /** False when the call is already registered. */
  abstract register(call: RecordedCall): Promise<boolean>;
  abstract find(callId: string): Promise<RecordedCall | null>;
  /** False when a pause is already open. */
  abstract openPause(callId: string, at: Date, by: string | null): Promise<boolean>;
  /** False when no pause is open. */
  abstract closePause(callId: string, at: Date): Promise<boolean>;
  /** Removes an open pause that rtpengine refused to apply. */
  abstract cancelOpenPause(callId: string): Promise<void>;
  abstract pausesOf(callId: string): Promise<PauseRecord[]>;
}

@Injectable()
export class TypeormCallRegistryRepository extends CallRegistryRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async register(call: RecordedCall): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO recording_calls (call_id, campaign_id, agent_user_id, customer_ssrc, customer_address, started_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
      [call.callId, call.campaignId, call.agentUserId, call.customerSsrc, call.customerAddress, call.startedAt],
    );
    return affectedRows(result) === 1;
  }

  async find(callId: string): Promise<RecordedCall | null> {
    const rows: Array<{
      call_id: string;
      campaign_id: string;
      agent_user_id: string;
      customer_ssrc: number | null;
      customer_address: string | null;
      started_at: Date;
    }> = await this.db.query(
      'SELECT call_id, campaign_id, agent_user_id, customer_ssrc, customer_address, started_at FROM recording_calls WHERE call_id = ?',
      [callId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      callId: r.call_id,
      campaignId: r.campaign_id,
      agentUserId: r.agent_user_id,
      customerSsrc: r.customer_ssrc === null ? null : Number(r.customer_ssrc),
      customerAddress: r.customer_address,
      startedAt: r.started_at,
    };
  }

  async openPause(callId: string, at: Date, by: string | null): Promise<boolean> {
    return this.db.transaction(async (em) => {
      await em.query('SELECT call_id FROM recording_calls WHERE call_id = ? FOR UPDATE', [callId]);
      const open: unknown[] = await em.query('SELECT id FROM recording_pauses WHERE call_id = ? AND ended_at IS NULL', [callId]);
      if (open.length > 0) return false;
      await em.query('INSERT INTO recording_pauses (id, call_id, started_at, started_by) VALUES (?, ?, ?, ?)', [randomUUID(), callId, at, by]);
      return true;
    });
  }

  async closePause(callId: string, at: Date): Promise<boolean> {
    const result = await this.db.query('UPDATE recording_pauses SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL', [at, callId]);
    return affectedRows(result) > 0;
  }

  async cancelOpenPause(callId: string): Promise<void> {
    await this.db.query('DELETE FROM recording_pauses WHERE call_id = ? AND ended_at IS NULL', [callId]);
  }

  async pausesOf(callId: string): Promise<PauseRecord[]> {
    const rows: Array<{ started_at: Date; ended_at: Date | null }> = await this.db.query(
      'SELECT started_at, ended_at FROM recording_pauses WHERE call_id = ? ORDER BY started_at',
      [callId],
    );
    return rows.map((r) => ({ startedAt: r.started_at, endedAt: r.ended_at }));
  }
}
