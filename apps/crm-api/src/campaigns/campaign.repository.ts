import { Injectable } from '@nestjs/common';
import { callingWindowFromColumns } from '@app/domain';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { Campaign, CampaignStatus } from './campaign.types';

export type CampaignWrite = Omit<Campaign, 'id' | 'status' | 'createdBy' | 'createdAt' | 'updatedAt'>;

export abstract class CampaignRepository {
  abstract create(id: string, campaign: CampaignWrite, createdBy: string): Promise<void>;
  abstract findById(id: string): Promise<Campaign | null>;
  abstract listAll(): Promise<Campaign[]>;
  abstract listForMember(userId: string): Promise<Campaign[]>;
  abstract update(id: string, campaign: CampaignWrite): Promise<void>;
  /** Moves status only from one of `from`; false when the campaign was not in such a state. */
  abstract setStatus(id: string, to: CampaignStatus, from: readonly CampaignStatus[]): Promise<boolean>;
  abstract listAgentIds(campaignId: string): Promise<string[]>;
  abstract replaceAgents(campaignId: string, agentIds: readonly string[]): Promise<void>;
}

interface Row {
  id: string;
  name: string;
  status: CampaignStatus;
  dial_mode: Campaign['dialMode'];
  caller_ids: string;
  window_start_hour: number;
  window_end_hour: number;
  window_days: string;
  holidays: string;
  default_timezone: string;
  max_attempts: number;
  retry_delays: string;
  dispositions: string;
  script: string;
  recording_policy: Campaign['recordingPolicy'];
  agent_playback_allowed: number;
  max_abandon_rate: string;
  recording_retention_days: number;
  lead_retention_days: number;
  consent_required: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class TypeormCampaignRepository extends CampaignRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async create(id: string, c: CampaignWrite, createdBy: string): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO campaigns (id, name, dial_mode, caller_ids, window_start_hour, window_end_hour, window_days, holidays,
           default_timezone, max_attempts, retry_delays, dispositions, script, recording_policy, agent_playback_allowed,
           max_abandon_rate, recording_retention_days, lead_retention_days, consent_required, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, ...values(c), createdBy],
      );
      await em.query(`INSERT INTO campaign_members (campaign_id, user_id, member_role) VALUES (?, ?, 'manager')`, [id, createdBy]);
    });
  }

  async findById(id: string): Promise<Campaign | null> {
    const rows: Row[] = await this.db.query('SELECT * FROM campaigns WHERE id = ?', [id]);
    return rows[0] ? toCampaign(rows[0]) : null;
  }

  async listAll(): Promise<Campaign[]> {
    const rows: Row[] = await this.db.query('SELECT * FROM campaigns ORDER BY created_at DESC');
    return rows.map(toCampaign);
  }

  async listForMember(userId: string): Promise<Campaign[]> {
    const rows: Row[] = await this.db.query(
      `SELECT c.* FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id WHERE m.user_id = ? ORDER BY c.created_at DESC`,
      [userId],
    );
    return rows.map(toCampaign);
  }

  async update(id: string, c: CampaignWrite): Promise<void> {
    await this.db.query(
      `UPDATE campaigns SET name = ?, dial_mode = ?, caller_ids = ?, window_start_hour = ?, window_end_hour = ?,
         window_days = ?, holidays = ?, default_timezone = ?, max_attempts = ?, retry_delays = ?, dispositions = ?,
         script = ?, recording_policy = ?, agent_playback_allowed = ?, max_abandon_rate = ?,
         recording_retention_days = ?, lead_retention_days = ?, consent_required = ?
       WHERE id = ?`,
      [...values(c), id],
    );
  }

  async setStatus(id: string, to: CampaignStatus, from: readonly CampaignStatus[]): Promise<boolean> {
    const result = await this.db.query('UPDATE campaigns SET status = ? WHERE id = ? AND status IN (?)', [to, id, [...from]]);
    return affectedRows(result) === 1;
  }

  async listAgentIds(campaignId: string): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await this.db.query(
      `SELECT user_id FROM campaign_members WHERE campaign_id = ? AND member_role = 'agent' ORDER BY user_id`,
      [campaignId],
    );
    return rows.map((r) => r.user_id);
  }

  async replaceAgents(campaignId: string, agentIds: readonly string[]): Promise<void> {
    await this.db.transaction(async (em) => {
      await em.query(`DELETE FROM campaign_members WHERE campaign_id = ? AND member_role = 'agent'`, [campaignId]);
      if (agentIds.length > 0) {
        await em.query('INSERT INTO campaign_members (campaign_id, user_id, member_role) VALUES ?', [
          agentIds.map((id) => [campaignId, id, 'agent']),
        ]);
      }
    });
  }
}

function values(c: CampaignWrite): unknown[] {
  return [
    c.name,
    c.dialMode,
    JSON.stringify(c.callerIds),
    c.window.startHour,
    c.window.endHour,
    c.window.days.join(','),
    JSON.stringify(c.window.holidays),
    c.defaultTimezone,
    c.maxAttempts,
    JSON.stringify(c.retryDelays),
    JSON.stringify(c.dispositions),
    c.script,
    c.recordingPolicy,
    c.agentPlaybackAllowed ? 1 : 0,
    c.maxAbandonRate,
    c.recordingRetentionDays,
    c.leadRetentionDays,
    c.consentRequired ? 1 : 0,
  ];
}

function toCampaign(r: Row): Campaign {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    dialMode: r.dial_mode,
    callerIds: JSON.parse(r.caller_ids) as string[],
    window: callingWindowFromColumns(r),
    defaultTimezone: r.default_timezone,
    maxAttempts: Number(r.max_attempts),
    retryDelays: JSON.parse(r.retry_delays) as Campaign['retryDelays'],
    dispositions: JSON.parse(r.dispositions) as Campaign['dispositions'],
    script: r.script,
    recordingPolicy: r.recording_policy,
    agentPlaybackAllowed: Number(r.agent_playback_allowed) === 1,
    maxAbandonRate: Number(r.max_abandon_rate),
    recordingRetentionDays: Number(r.recording_retention_days),
    leadRetentionDays: Number(r.lead_retention_days),
    consentRequired: Number(r.consent_required) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}
