import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { DispositionApplied, DispositionWrite } from './work.types';

export abstract class DispositionRepository {
  /**
   * In one transaction: the lead's new status (the agent's assignment ends), its open callbacks closed,
   * the new callback if any, and the code on the agent's latest call of the lead. Nothing is written
   * when the lead is no longer as expected.
   */
  abstract apply(write: DispositionWrite): Promise<DispositionApplied>;
}

@Injectable()
export class TypeormDispositionRepository extends DispositionRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  apply(w: DispositionWrite): Promise<DispositionApplied> {
    return this.db.transaction(async (em) => {
      const moved = await em.query(
        `UPDATE leads SET status = ?, next_attempt_at = ?, assigned_agent_id = NULL
          WHERE id = ? AND status = ? AND assigned_agent_id <=> ?`,
        [w.next.status, w.next.nextAttemptAt, w.leadId, w.expected.status, w.expected.assignedAgentId],
      );
      if (affectedRows(moved) !== 1) return { applied: false, callRecordId: null };

      // The lead has just been worked: whatever callback was waiting on it is answered by this call.
      await em.query(`UPDATE callbacks SET status = 'done' WHERE lead_id = ? AND status = 'pending'`, [w.leadId]);
      if (w.callback) {
        await em.query(
          `INSERT INTO callbacks (id, lead_id, campaign_id, agent_id, due_at, status, created_by) VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
          [w.callback.id, w.leadId, w.callback.campaignId, w.callback.agentId, w.callback.dueAt, w.agentId],
        );
      }

      // Only the latest call: an older call left without a code must not take this one.
      const calls: Array<{ id: string; disposition_code: string | null }> = await em.query(
        `SELECT id, disposition_code FROM call_records WHERE lead_id = ? AND agent_id = ?
          ORDER BY started_at DESC, created_at DESC LIMIT 1 FOR UPDATE`,
        [w.leadId, w.agentId],
      );
      const latest = calls[0];
      if (!latest || latest.disposition_code !== null) return { applied: true, callRecordId: null };
      await em.query('UPDATE call_records SET disposition_code = ? WHERE id = ?', [w.code, latest.id]);
      return { applied: true, callRecordId: latest.id };
    });
  }
}
