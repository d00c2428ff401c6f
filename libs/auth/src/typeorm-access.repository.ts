import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Role } from '@app/domain';
import { AccessRepository } from './access.repository';
import { Permission } from './permission.enum';
import { Principal } from './principal';

const MEMBER_CAMPAIGNS = `SELECT c.id FROM campaigns c JOIN campaign_members m ON m.campaign_id = c.id
  WHERE c.id IN (?) AND m.user_id = ?`;
const MANAGED_LEADS = `SELECT l.id FROM leads l JOIN campaign_members m ON m.campaign_id = l.campaign_id
  WHERE l.id IN (?) AND m.user_id = ? AND m.member_role = 'manager'`;
const WORKED_LEADS = `SELECT l.id FROM leads l
  JOIN campaign_members m ON m.campaign_id = l.campaign_id AND m.user_id = ? AND m.member_role = 'agent'
  WHERE l.id IN (?) AND (l.assigned_agent_id = m.user_id AND l.status IN ('reserved','in_progress')
     OR EXISTS (SELECT 1 FROM callbacks cb WHERE cb.lead_id = l.id AND cb.agent_id = m.user_id AND cb.status = 'pending'))`;

/** One query per permission; later features add their record types here, and only here. */
@Injectable()
export class TypeormAccessRepository extends AccessRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  async allowedIds(principal: Principal, permission: Permission, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const query = this.queryFor(principal, permission);
    if (!query) return new Set();
    const params = query.idsFirst === false ? [...query.params, [...ids]] : [[...ids], ...query.params];
    const rows: Array<{ id: string }> = await this.dataSource.query(query.sql, params);
    return new Set(rows.map((r) => r.id));
  }

  private queryFor(principal: Principal, permission: Permission): { sql: string; params: unknown[]; idsFirst?: boolean } | null {
    switch (permission) {
      case Permission.SelfManage:
        // Sessions: one's own only.
        return principal.kind === 'user'
          ? { sql: 'SELECT id FROM sessions WHERE id IN (?) AND user_id = ?', params: [principal.userId] }
          : null;
      case Permission.SessionManage:
        return { sql: 'SELECT id FROM sessions WHERE id IN (?)', params: [] };
      case Permission.UserRead:
      case Permission.UserManage:
        return { sql: 'SELECT id FROM users WHERE id IN (?)', params: [] };
      // Campaigns (ids are campaigns.id).
      case Permission.CampaignRead:
        if (principal.kind !== 'user') return null;
        if (principal.role === Role.Qa) return { sql: 'SELECT id FROM campaigns WHERE id IN (?)', params: [] };
        return { sql: `${MEMBER_CAMPAIGNS} AND m.member_role IN ('manager','agent')`, params: [principal.userId] };
      case Permission.CampaignManage:
      case Permission.LeadImport:
      case Permission.LeadExport:
      case Permission.DncManage:
        return principal.kind === 'user' ? { sql: `${MEMBER_CAMPAIGNS} AND m.member_role = 'manager'`, params: [principal.userId] } : null;
      // Leads (ids are leads.id): managers in their campaigns; agents only the lead they are working, or
      // their own pending callback.
      case Permission.LeadRead:
      case Permission.LeadReveal:
      case Permission.LeadWrite:
      case Permission.WorkRecordWrite:
        if (principal.kind !== 'user') return null;
        if (principal.role === Role.Manager && permission !== Permission.WorkRecordWrite) {
          return { sql: MANAGED_LEADS, params: [principal.userId] };
        }
        if (principal.role === Role.Agent && permission !== Permission.LeadWrite) {
          return { sql: WORKED_LEADS, params: [principal.userId], idsFirst: false };
        }
        return null;
      // Call records (ids are call_records.id): QA all, managers their campaigns, agents their own.
      case Permission.CallRecordRead:
        if (principal.kind !== 'user') return null;
        if (principal.role === Role.Qa) return { sql: 'SELECT id FROM call_records WHERE id IN (?)', params: [] };
        if (principal.role === Role.Manager) {
          return {
            sql: `SELECT c.id FROM call_records c JOIN campaign_members m ON m.campaign_id = c.campaign_id
                   WHERE c.id IN (?) AND m.user_id = ? AND m.member_role = 'manager'`,
            params: [principal.userId],
          };
        }
        return { sql: 'SELECT id FROM call_records WHERE id IN (?) AND agent_id = ?', params: [principal.userId] };
      case Permission.CallRecordWrite:
      case Permission.LeadDialTarget:
      case Permission.AgentStateManage:
      case Permission.DialerMonitor:
      case Permission.CallControl:
      case Permission.TrunkManage:
      case Permission.SipAccountManage:
      case Permission.PrivacyRequestManage:
      case Permission.RetentionRun:
      case Permission.SecurityAlertManage:
        return null;
      // Recordings (ids are recordings.id): QA all; managers those of campaigns they manage; agents
      // their own calls, and to play them only where the campaign allows agent playback.
      case Permission.RecordingRead:
      case Permission.RecordingPlay:
      case Permission.RecordingDownload: {
        if (principal.kind !== 'user') return null;
        const live = `r.id IN (?) AND r.status <> 'deleted'`;
        if (principal.role === Role.Qa && permission !== Permission.RecordingDownload) {
          return { sql: `SELECT r.id FROM recordings r WHERE ${live}`, params: [] };
        }
        if (principal.role === Role.Manager) {
          return {
            sql: `SELECT r.id FROM recordings r JOIN campaign_members m ON m.campaign_id = r.campaign_id
                   WHERE ${live} AND m.user_id = ? AND m.member_role = 'manager'`,
            params: [principal.userId],
          };
        }
        if (principal.role === Role.Agent && permission === Permission.RecordingRead) {
          return { sql: `SELECT r.id FROM recordings r WHERE ${live} AND r.agent_user_id = ?`, params: [principal.userId] };
        }
        if (principal.role === Role.Agent && permission === Permission.RecordingPlay) {
          return {
            sql: `SELECT r.id FROM recordings r JOIN campaigns c ON c.id = r.campaign_id
                   WHERE ${live} AND r.agent_user_id = ? AND c.agent_playback_allowed = 1`,
            params: [principal.userId],
          };
        }
        return null;
      }
      // Live calls (ids are recording_calls.call_id: a live call has no recording yet): the dialer for
      // every call it registered, an agent for their own.
      case Permission.RecordingControl:
        if (principal.kind === 'service') return { sql: 'SELECT call_id AS id FROM recording_calls WHERE call_id IN (?)', params: [] };
        if (principal.role !== Role.Agent) return null;
        return { sql: 'SELECT call_id AS id FROM recording_calls WHERE call_id IN (?) AND agent_user_id = ?', params: [principal.userId] };
      // QA scores (ids are recordings.id): QA score and read every recording's; managers read those of
      // campaigns they manage.
      case Permission.QaScorecardManage:
      case Permission.QaScoreRead:
        if (principal.kind !== 'user') return null;
        if (principal.role === Role.Qa) return { sql: `SELECT id FROM recordings WHERE id IN (?) AND status <> 'deleted'`, params: [] };
        if (principal.role === Role.Manager && permission === Permission.QaScoreRead) {
          return {
            sql: `SELECT r.id FROM recordings r JOIN campaign_members m ON m.campaign_id = r.campaign_id
                   WHERE r.id IN (?) AND r.status <> 'deleted' AND m.user_id = ? AND m.member_role = 'manager'`,
            params: [principal.userId],
          };
        }
        return null;
      case Permission.KeyManage:
      case Permission.RecordingIngestWrite:
      case Permission.SecurityPolicyManage:
      case Permission.AuditRead:
      case Permission.AuditVerify:
      case Permission.InternalStatusRead:
        return null;
    }
  }
}
