import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AgentState, AgentStateChange, AgentStateEvent, AgentStatus } from './agent-state.types';

/** Whether an agent can be given calls at all, whatever their state. */
export interface AgentEligibility {
  isAgent: boolean;
  active: boolean;
  frozen: boolean;
  /** A registered phone (softphone or desk phone) reachable now. */
  registered: boolean;
  assignedCampaigns: string[];
}

/** Agents of one campaign by state, for pacing and the wallboard. */
export interface CampaignAgentCounts {
  ready: number;
  reserved: number;
  onCall: number;
  wrapUp: number;
  /** Seconds already spent on the current call, per agent on a call (pacing predicts who frees up next). */
  onCallElapsedSeconds: number[];
  /** Seconds of wrap-up left, per agent in wrap-up. */
  wrapUpRemainingSeconds: number[];
}

/**
 * Agents' live states, shared by every dialer instance through the database. Every change is a
 * conditional update (it happens only from the states given), so two instances never hand one agent
 * two calls, and each change is kept as an event in the same transaction.
 */
export abstract class AgentStateRepository {
  abstract get(userId: string): Promise<AgentStatus>;
  abstract eligibility(userId: string, at: Date): Promise<AgentEligibility>;
  /** Null when the agent was not in one of `from` (or not on `expectCallId`). */
  abstract transition(
    userId: string,
    from: readonly AgentState[],
    change: AgentStateChange,
    at: Date,
    expectCallId?: string,
  ): Promise<AgentStateEvent | null>;
  /** The longest-idle ready agent of the campaign who can take a call now, reserved for `callId`. */
  abstract reserveReadyAgent(campaignId: string, callId: string, at: Date): Promise<AgentStateEvent | null>;
  abstract counts(campaignId: string, at: Date): Promise<CampaignAgentCounts>;
  /** Wrap-ups whose time is up become ready again. */
  abstract endWrapUps(at: Date): Promise<AgentStateEvent[]>;
  /** States of the agents of the given campaigns, or of every agent when `campaignIds` is null. */
  abstract list(campaignIds: string[] | null): Promise<AgentStatus[]>;
  abstract managedCampaigns(managerId: string): Promise<string[]>;
}

interface Row {
  user_id: string;
  state: AgentState;
  pause_reason: string | null;
  campaign_id: string | null;
  call_id: string | null;
  wrap_up_until: Date | null;
  changed_at: Date;
}

/** Conditions under which an agent may be handed a call; the same in every query that does so. */
const CAN_TAKE_CALLS = `u.role = 'agent' AND u.status = 'active' AND u.frozen_at IS NULL
  AND EXISTS (SELECT 1 FROM sip_registrations r WHERE r.user_id = u.id AND r.expires_at > ?)`;

@Injectable()
export class TypeormAgentStateRepository extends AgentStateRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async get(userId: string): Promise<AgentStatus> {
    const rows: Row[] = await this.db.query('SELECT * FROM agent_states WHERE user_id = ?', [userId]);
    return rows[0] ? toStatus(rows[0]) : offline(userId);
  }

  async eligibility(userId: string, at: Date): Promise<AgentEligibility> {
    const users: { role: string; status: string; frozen_at: Date | null; registered: number | string }[] = await this.db.query(
      `SELECT u.role, u.status, u.frozen_at,
              EXISTS (SELECT 1 FROM sip_registrations r WHERE r.user_id = u.id AND r.expires_at > ?) AS registered
         FROM users u WHERE u.id = ?`,
      [at, userId],
    );
    const campaigns: { campaign_id: string }[] = await this.db.query(
      `SELECT campaign_id FROM campaign_members WHERE user_id = ? AND member_role = 'agent'`,
      [userId],
    );
    const u = users[0];
    return {
      isAgent: u?.role === 'agent',
      active: u?.status === 'active',
      frozen: !!u?.frozen_at,
      registered: Number(u?.registered ?? 0) === 1,
      assignedCampaigns: campaigns.map((c) => c.campaign_id),
    };
  }

  transition(userId: string, from: readonly AgentState[], change: AgentStateChange, at: Date, expectCallId?: string): Promise<AgentStateEvent | null> {
    return this.db.transaction(async (em) => {
      // The row exists from the first change on; an agent never seen is offline.
      await em.query(`INSERT IGNORE INTO agent_states (user_id, state, changed_at) VALUES (?, 'offline', ?)`, [userId, at]);
      const rows: Row[] = await em.query('SELECT * FROM agent_states WHERE user_id = ? FOR UPDATE', [userId]);
      const current = rows[0];
      if (!from.includes(current.state)) return null;
      if (expectCallId !== undefined && current.call_id !== expectCallId) return null;
      return this.apply(em, current, change, at);
    });
  }

  reserveReadyAgent(campaignId: string, callId: string, at: Date): Promise<AgentStateEvent | null> {
    return this.db.transaction(async (em) => {
      const rows: Row[] = await em.query(
        `SELECT s.* FROM agent_states s JOIN users u ON u.id = s.user_id
          WHERE s.state = 'ready' AND s.campaign_id = ? AND ${CAN_TAKE_CALLS}
          ORDER BY s.changed_at, s.user_id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [campaignId, at],
      );
      if (!rows[0]) return null;
      return this.apply(em, rows[0], { state: 'reserved', campaignId, callId }, at);
    });
  }

  async counts(campaignId: string, at: Date): Promise<CampaignAgentCounts> {
    const rows: Row[] = await this.db.query(
      `SELECT s.* FROM agent_states s JOIN users u ON u.id = s.user_id
        WHERE s.campaign_id = ? AND s.state IN ('ready','reserved','on_call','wrap_up')
          AND (s.state <> 'ready' OR (${CAN_TAKE_CALLS}))`,
      [campaignId, at],
    );
    const seconds = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 1000);
    return {
      ready: rows.filter((r) => r.state === 'ready').length,
      reserved: rows.filter((r) => r.state === 'reserved').length,
      onCall: rows.filter((r) => r.state === 'on_call').length,
      wrapUp: rows.filter((r) => r.state === 'wrap_up').length,
      onCallElapsedSeconds: rows.filter((r) => r.state === 'on_call').map((r) => seconds(r.changed_at, at)),
      wrapUpRemainingSeconds: rows.filter((r) => r.state === 'wrap_up').map((r) => (r.wrap_up_until ? seconds(at, r.wrap_up_until) : 0)),
    };
  }

  async endWrapUps(at: Date): Promise<AgentStateEvent[]> {
    const due: { user_id: string }[] = await this.db.query(
      `SELECT user_id FROM agent_states WHERE state = 'wrap_up' AND wrap_up_until <= ?`,
      [at],
    );
    const events: AgentStateEvent[] = [];
    for (const { user_id } of due) {
      const event = await this.transition(user_id, ['wrap_up'], { state: 'ready', callId: null, wrapUpUntil: null }, at);
      if (event) events.push(event);
    }
    return events;
  }

  async list(campaignIds: string[] | null): Promise<AgentStatus[]> {
    if (campaignIds !== null && campaignIds.length === 0) return [];
    const rows: (Row & { id: string })[] = await this.db.query(
      `SELECT u.id, s.user_id, s.state, s.pause_reason, s.campaign_id, s.call_id, s.wrap_up_until, s.changed_at
         FROM users u LEFT JOIN agent_states s ON s.user_id = u.id
        WHERE u.role = 'agent'
          ${campaignIds === null ? '' : `AND u.id IN (SELECT m.user_id FROM campaign_members m WHERE m.member_role = 'agent' AND m.campaign_id IN (?))`}
        ORDER BY u.id`,
      campaignIds === null ? [] : [campaignIds],
    );
    return rows.map((r) => (r.user_id ? toStatus(r) : offline(r.id)));
  }

  async managedCampaigns(managerId: string): Promise<string[]> {
    const rows: { campaign_id: string }[] = await this.db.query(
      `SELECT campaign_id FROM campaign_members WHERE user_id = ? AND member_role = 'manager'`,
      [managerId],
    );
    return rows.map((r) => r.campaign_id);
  }

  private async apply(em: EntityManager, current: Row, change: AgentStateChange, at: Date): Promise<AgentStateEvent> {
    const next: AgentStatus = {
      userId: current.user_id,
      state: change.state,
      // A pause reason belongs to the pause; a campaign stays until changed; a call ends with its state.
      pauseReason: change.state === 'paused' ? (change.pauseReason ?? current.pause_reason) : null,
      campaignId: change.campaignId !== undefined ? change.campaignId : current.campaign_id,
      callId: change.callId !== undefined ? change.callId : current.call_id,
      wrapUpUntil: change.state === 'wrap_up' ? (change.wrapUpUntil ?? null) : null,
      changedAt: at,
    };
    await em.query(
      `UPDATE agent_states SET state = ?, pause_reason = ?, campaign_id = ?, call_id = ?, wrap_up_until = ?, changed_at = ? WHERE user_id = ?`,
      [next.state, next.pauseReason, next.campaignId, next.callId, next.wrapUpUntil, at, next.userId],
    );
    await em.query(
      `INSERT INTO agent_state_events (user_id, state, pause_reason, campaign_id, call_id, at) VALUES (?, ?, ?, ?, ?, ?)`,
      [next.userId, next.state, next.pauseReason, next.campaignId, next.callId, at],
    );
    return { ...next, previous: current.state };
  }
}

function toStatus(r: Row): AgentStatus {
  return {
    userId: r.user_id,
    state: r.state,
    pauseReason: r.pause_reason,
    campaignId: r.campaign_id,
    callId: r.call_id,
    wrapUpUntil: r.wrap_up_until,
    changedAt: r.changed_at,
  };
}

function offline(userId: string): AgentStatus {
  return { userId, state: 'offline', pauseReason: null, campaignId: null, callId: null, wrapUpUntil: null, changedAt: new Date(0) };
}
