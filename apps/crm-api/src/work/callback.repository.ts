import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { Callback, CallbackStatus, CallbackSummary } from './work.types';

export abstract class CallbackRepository {
  abstract findById(id: string): Promise<Callback | null>;
  /** The agent's own pending callbacks, soonest first, in campaigns they still work on. */
  abstract listPendingForAgent(agentId: string, limit: number): Promise<CallbackSummary[]>;
  /**
   * Closes a pending callback; false when it was not pending. A lead left waiting on no callback goes
   * back to 'retry', so it is never stranded in 'callback'.
   */
  abstract close(id: string, status: Exclude<CallbackStatus, 'pending'>): Promise<boolean>;
}

interface Row {
  id: string;
  lead_id: string;
  campaign_id: string;
  agent_id: string | null;
  due_at: Date;
  status: CallbackStatus;
  created_by: string | null;
  created_at: Date;
}

@Injectable()
export class TypeormCallbackRepository extends CallbackRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findById(id: string): Promise<Callback | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM callbacks WHERE id = ?', [id]);
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      leadId: r.lead_id,
      campaignId: r.campaign_id,
      agentId: r.agent_id,
      dueAt: r.due_at,
      status: r.status,
      createdBy: r.created_by,
      createdAt: r.created_at,
    };
  }

  async listPendingForAgent(agentId: string, limit: number): Promise<CallbackSummary[]> {
    const rows: Array<Pick<Row, 'id' | 'lead_id' | 'campaign_id' | 'due_at'>> = await this.db.query(
      `SELECT cb.id, cb.lead_id, cb.campaign_id, cb.due_at FROM callbacks cb
         JOIN campaign_members m ON m.campaign_id = cb.campaign_id AND m.user_id = cb.agent_id AND m.member_role = 'agent'
         JOIN leads l ON l.id = cb.lead_id AND l.status <> 'erased'
        WHERE cb.agent_id = ? AND cb.status = 'pending'
        ORDER BY cb.due_at, cb.id LIMIT ?`,
      [agentId, limit],
    );
    return rows.map((r) => ({ id: r.id, leadId: r.lead_id, campaignId: r.campaign_id, dueAt: r.due_at, scope: 'mine' }));
  }

  close(id: string, status: Exclude<CallbackStatus, 'pending'>): Promise<boolean> {
    return this.db.transaction(async (em) => {
      const closed = await em.query(`UPDATE callbacks SET status = ? WHERE id = ? AND status = 'pending'`, [status, id]);
      if (affectedRows(closed) !== 1) return false;
      const leads: Array<{ lead_id: string }> = await em.query('SELECT lead_id FROM callbacks WHERE id = ?', [id]);
      await em.query(
        `UPDATE leads SET status = 'retry', next_attempt_at = NULL
          WHERE id = ? AND status = 'callback'
            AND NOT EXISTS (SELECT 1 FROM callbacks o WHERE o.lead_id = ? AND o.status = 'pending')`,
        [leads[0].lead_id, leads[0].lead_id],
      );
      return true;
    });
  }
}
