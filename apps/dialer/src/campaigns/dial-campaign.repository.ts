import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CallingWindow, callingWindowFromColumns } from '@app/domain';

export type DialCampaignStatus = 'draft' | 'active' | 'paused' | 'finished';
export type DialMode = 'preview' | 'progressive' | 'predictive';
export type DialRecordingPolicy = 'all' | 'none' | 'on_demand';

/** Minutes to wait before the next attempt, by how the last one ended. */
export interface DialRetryDelays {
  busy: number;
  noAnswer: number;
  machine: number;
  failed: number;
}

/** A campaign as the dialer needs it: how to pace, when and whom to call, how often. No script, no dispositions. */
export interface DialCampaign {
  id: string;
  name: string;
  status: DialCampaignStatus;
  dialMode: DialMode;
  callerIds: string[];
  window: CallingWindow;
  defaultTimezone: string;
  maxAttempts: number;
  retryDelays: DialRetryDelays;
  recordingPolicy: DialRecordingPolicy;
  /** A fraction (0.03 is 3 %) of live answered calls. */
  maxAbandonRate: number;
  consentRequired: boolean;
}

/** Campaigns are written by the CRM only; the dialer reads them. */
export abstract class DialCampaignRepository {
  abstract activeCampaigns(): Promise<DialCampaign[]>;
  abstract findById(id: string): Promise<DialCampaign | null>;
  /** Ids of the campaigns the agent is assigned to as an agent. */
  abstract agentCampaigns(agentId: string): Promise<string[]>;
}

interface DialCampaignRow {
  id: string;
  name: string;
  status: DialCampaignStatus;
  dial_mode: DialMode;
  caller_ids: string;
  window_start_hour: number;
  window_end_hour: number;
  window_days: string;
  holidays: string;
  default_timezone: string;
  max_attempts: number;
  retry_delays: string;
  recording_policy: DialRecordingPolicy;
  max_abandon_rate: string;
  consent_required: number;
}

const COLUMNS = `id, name, status, dial_mode, caller_ids, window_start_hour, window_end_hour, window_days, holidays,
  default_timezone, max_attempts, retry_delays, recording_policy, max_abandon_rate, consent_required`;

/** The campaigns with these ids, read through `runner` (a transaction's manager, or the data source). */
export async function loadDialCampaigns(runner: DataSource | EntityManager, ids: readonly string[]): Promise<Map<string, DialCampaign>> {
  if (ids.length === 0) return new Map();
  const rows: DialCampaignRow[] = await runner.query(`SELECT ${COLUMNS} FROM campaigns WHERE id IN (?)`, [[...ids]]);
  return new Map(rows.map((r) => [r.id, toDialCampaign(r)]));
}

@Injectable()
export class TypeormDialCampaignRepository extends DialCampaignRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async activeCampaigns(): Promise<DialCampaign[]> {
    const rows: DialCampaignRow[] = await this.db.query(`SELECT ${COLUMNS} FROM campaigns WHERE status = 'active' ORDER BY created_at, id`);
    return rows.map(toDialCampaign);
  }

  async findById(id: string): Promise<DialCampaign | null> {
    const rows: DialCampaignRow[] = await this.db.query(`SELECT ${COLUMNS} FROM campaigns WHERE id = ?`, [id]);
    return rows[0] ? toDialCampaign(rows[0]) : null;
  }

  async agentCampaigns(agentId: string): Promise<string[]> {
    const rows: Array<{ campaign_id: string }> = await this.db.query(
      `SELECT campaign_id FROM campaign_members WHERE user_id = ? AND member_role = 'agent' ORDER BY campaign_id`,
      [agentId],
    );
    return rows.map((r) => r.campaign_id);
  }
}

/** The same column formats the CRM writes (apps/crm-api/src/campaigns/campaign.repository.ts). */
function toDialCampaign(r: DialCampaignRow): DialCampaign {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    dialMode: r.dial_mode,
    callerIds: JSON.parse(r.caller_ids) as string[],
    window: callingWindowFromColumns(r),
    defaultTimezone: r.default_timezone,
    maxAttempts: Number(r.max_attempts),
    retryDelays: JSON.parse(r.retry_delays) as DialRetryDelays,
    recordingPolicy: r.recording_policy,
    maxAbandonRate: Number(r.max_abandon_rate),
    consentRequired: Number(r.consent_required) === 1,
  };
}
