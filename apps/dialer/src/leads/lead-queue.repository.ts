import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { withLockRetry } from '@app/database';
import { isWithinCallingWindow } from '@app/domain';
import { DialCampaign, loadDialCampaigns } from '../campaigns/dial-campaign.repository';
import { CallOutcome } from '../session/call-outcome';
import { DEFAULT_ABANDON_LOCKOUT_SECONDS, NextLeadState, nextLeadState } from './lead-retry.policy';

export type LeadQueueKind = 'callback' | 'new' | 'retry';
/** The statuses a lead can be reserved from (and goes back to when released). */
export type DialableLeadStatus = LeadQueueKind;

export interface ReservedLead {
  leadId: string;
  campaignId: string;
  kind: LeadQueueKind;
  /** The due callback this reservation serves (kind 'callback'). */
  callbackId: string | null;
  /** The agent who owns that callback; null for a campaign's open callback. */
  callbackAgentId: string | null;
  /** Attempts before this call. */
  attempts: number;
  /** The lead's zones as stored (comma-separated IANA names). */
  timezone: string;
  previousStatus: DialableLeadStatus;
}

export interface ReserveOptions {
  instanceId: string;
  now: Date;
  /**
   * The agent the lead is chosen for (preview, progressive): the lead is assigned to them at once, so
   * they can read its card, and their own due callbacks come before the campaign's open ones. Without
   * it (predictive), only open callbacks are taken; the agent is assigned when the call is bridged.
   */
  agentId?: string;
}

export interface LeadSettlement {
  outcome: CallOutcome;
  /** When the call ended. */
  at: Date;
  /** The agent the customer was bridged to, if any ('answered' leaves the lead with them). */
  agentId?: string | null;
  /** Overrides the repository's default lockout after an abandoned call. */
  abandonLockoutSeconds?: number;
}

export interface RecoveryCounts {
  /** Instances whose leftovers were taken back. */
  instances: number;
  /** Leads put back as they were (no call had been opened for them). */
  released: number;
  /** Leads whose call had been opened: settled by the call's outcome ('failed' when it was still open). */
  settled: number;
  /** Calls still open on a dead instance, closed as 'failed'. */
  callsClosed: number;
}

/**
 * The dialer's hold on leads, shared by every dialer instance through the database.
 *
 * Attempts are counted by the dialer, once per call, when the call's CDR is opened
 * (DialerCallRepository.open, in the same transaction); the CRM only records the outcome of a call it
 * is told about. So settle() knows the count including the call it settles, and a lead released before
 * any call was opened has used no attempt.
 */
export abstract class LeadQueueRepository {
  /**
   * Takes up to `count` leads for one campaign in one transaction (SELECT … FOR UPDATE SKIP LOCKED, so
   * concurrent instances never take the same lead): due callbacks first, then new leads, then retries
   * that are due. Only leads inside the campaign's calling window in their own time zones, not on the
   * global or campaign DNC list, with consent when the campaign requires it, not locked out after an
   * abandoned call, and (except callbacks, which the customer asked for) with attempts left.
   */
  abstract reserve(campaign: DialCampaign, count: number, opts: ReserveOptions): Promise<ReservedLead[]>;
  /**
   * Gives a lead back untouched (no call was opened for it): the status it was reserved from, no
   * attempt counted. False when the lead is not held by this instance (recovered meanwhile).
   */
  abstract release(leadId: string, instanceId: string): Promise<boolean>;
  /**
   * Decides the lead's next status from its call's outcome and ends the reservation; a due callback the
   * call served is done. Does nothing (null) unless this instance holds the lead. When the agent has
   * already disposed of the lead during the call, their decision stands and only the hold is dropped
   * (null as well).
   */
  abstract settle(leadId: string, instanceId: string, campaign: DialCampaign, result: LeadSettlement): Promise<NextLeadState | null>;
  /** Takes back what instances that stopped heartbeating held: their leads and their open calls. */
  abstract recoverDeadInstances(now: Date, staleAfterSeconds: number): Promise<RecoveryCounts>;
  abstract heartbeat(instanceId: string, now: Date): Promise<void>;
  /**
   * Registers the instance at startup. Whatever an earlier process with the same id still held is
   * taken back first: a process that is just starting has no calls.
   */
  abstract registerInstance(instanceId: string, now: Date): Promise<RecoveryCounts>;
}

export interface LeadQueueOptions {
  /**
   * How long a campaign's list of distinct lead time zones is reused (by the `now` given to reserve).
   * 0: read every time. New zones (a fresh import) are seen after at most this long.
   */
  timezoneCacheMs?: number;
  /** Lockout after an abandoned call, when settle() is not told one (and for recovered calls). */
  abandonLockoutSeconds?: number;
}

/** Optional provider of LeadQueueOptions (e.g. the abandon lockout from the dialer's config). */
export const LEAD_QUEUE_OPTIONS = 'LEAD_QUEUE_OPTIONS';

interface PickRow {
  id: string;
  campaign_id: string;
  attempts: number;
  timezone: string;
  status: DialableLeadStatus;
  callback_id: string | null;
  callback_agent_id: string | null;
}

/** A lead as this repository holds it (locked FOR UPDATE while read). */
interface HeldRow {
  id: string;
  campaign_id: string;
  status: string;
  attempts: number;
  reserved_by: string | null;
  reserved_at: Date | null;
  dial_locked_until: Date | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
}

const HELD_COLUMNS = 'id, campaign_id, status, attempts, reserved_by, reserved_at, dial_locked_until, last_attempt_at, next_attempt_at';
const OPEN_CALL_STATES = `('dialing','ringing','answered','bridged')`;

@Injectable()
export class TypeormLeadQueueRepository extends LeadQueueRepository {
  private readonly zoneCache = new Map<string, { zones: string[]; at: number }>();
  private readonly timezoneCacheMs: number;
  private readonly abandonLockoutSeconds: number;

  constructor(
    private readonly db: DataSource,
    @Optional() @Inject(LEAD_QUEUE_OPTIONS) options: LeadQueueOptions | null = null,
  ) {
    super();
    this.timezoneCacheMs = options?.timezoneCacheMs ?? 30_000;
    this.abandonLockoutSeconds = options?.abandonLockoutSeconds ?? DEFAULT_ABANDON_LOCKOUT_SECONDS;
  }

  async reserve(campaign: DialCampaign, count: number, opts: ReserveOptions): Promise<ReservedLead[]> {
    if (count <= 0) return [];
    const zones = await this.callableZones(campaign, opts.now);
    if (zones.length === 0) return [];
    // READ COMMITTED: rows read but not matching (outside the window, listed…) are unlocked at once
    // instead of being held to the end of the transaction, where other instances would skip them.
    return withLockRetry(() =>
      this.db.transaction('READ COMMITTED', async (em) => {
        const picked = new Map<string, ReservedLead>();
        const take = (rows: PickRow[], kind: LeadQueueKind) => {
          for (const r of rows) {
            if (picked.size >= count || picked.has(r.id)) continue;
            picked.set(r.id, {
              leadId: r.id,
              campaignId: r.campaign_id,
              kind,
              callbackId: r.callback_id,
              callbackAgentId: r.callback_agent_id,
              attempts: Number(r.attempts),
              timezone: r.timezone,
              previousStatus: r.status,
            });
          }
        };
        take(await this.pickCallbacks(em, campaign, count, zones, opts), 'callback');
        if (picked.size < count) take(await this.pickLeads(em, campaign, 'new', count - picked.size, zones, opts.now), 'new');
        if (picked.size < count) take(await this.pickLeads(em, campaign, 'retry', count - picked.size, zones, opts.now), 'retry');
        if (picked.size === 0) return [];
        await em.query(
          `UPDATE leads SET status = 'reserved', reserved_by = ?, reserved_at = ?, assigned_agent_id = ? WHERE id IN (?)`,
          [opts.instanceId, opts.now, opts.agentId ?? null, [...picked.keys()]],
        );
        return [...picked.values()];
      }),
    );
  }

  release(leadId: string, instanceId: string): Promise<boolean> {
    return withLockRetry(() =>
      this.db.transaction(async (em) => {
        const lead = await this.holdLead(em, leadId);
        if (!lead || lead.reserved_by !== instanceId) return false;
        await this.releaseHeld(em, lead);
        return true;
      }),
    );
  }

  settle(leadId: string, instanceId: string, campaign: DialCampaign, result: LeadSettlement): Promise<NextLeadState | null> {
    return withLockRetry(() =>
      this.db.transaction(async (em) => {
        const lead = await this.holdLead(em, leadId);
        if (!lead || lead.reserved_by !== instanceId) return null;
        return this.settleHeld(em, lead, campaign, result);
      }),
    );
  }

  async recoverDeadInstances(now: Date, staleAfterSeconds: number): Promise<RecoveryCounts> {
    const cutoff = new Date(now.getTime() - staleAfterSeconds * 1000);
    const live = `SELECT i.id FROM dialer_instances i WHERE i.heartbeat_at >= ?`;
    const rows: Array<{ instance_id: string }> = await this.db.query(
      `SELECT DISTINCT reserved_by AS instance_id FROM leads WHERE reserved_by IS NOT NULL AND reserved_by NOT IN (${live})
       UNION
       SELECT DISTINCT instance_id FROM dialer_calls WHERE state IN ${OPEN_CALL_STATES} AND instance_id NOT IN (${live})`,
      [cutoff, cutoff],
    );
    const total: RecoveryCounts = { instances: 0, released: 0, settled: 0, callsClosed: 0 };
    for (const { instance_id: instanceId } of rows) {
      const counts = await this.recoverInstance(instanceId, now);
      total.instances += 1;
      total.released += counts.released;
      total.settled += counts.settled;
      total.callsClosed += counts.callsClosed;
    }
    // Rows of instances gone for good; a live instance that was only slow puts its row back with its next heartbeat.
    await this.db.query('DELETE FROM dialer_instances WHERE heartbeat_at < ?', [cutoff]);
    return total;
  }

  async heartbeat(instanceId: string, now: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO dialer_instances (id, started_at, heartbeat_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE heartbeat_at = VALUES(heartbeat_at)`,
      [instanceId, now, now],
    );
  }

  async registerInstance(instanceId: string, now: Date): Promise<RecoveryCounts> {
    const counts = await this.recoverInstance(instanceId, now);
    await this.db.query(
      `INSERT INTO dialer_instances (id, started_at, heartbeat_at) VALUES (?, ?, ?)
       ON DUPLICATE KEY UPDATE started_at = VALUES(started_at), heartbeat_at = VALUES(heartbeat_at)`,
      [instanceId, now, now],
    );
    return { ...counts, instances: counts.released + counts.settled + counts.callsClosed > 0 ? 1 : 0 };
  }

  /** The campaign's distinct lead zone lists that are inside its calling window at `now`. */
  private async callableZones(campaign: DialCampaign, now: Date): Promise<string[]> {
    const t = now.getTime();
    let entry = this.zoneCache.get(campaign.id);
    if (!entry || t < entry.at || t - entry.at >= this.timezoneCacheMs) {
      const rows: Array<{ timezone: string }> = await this.db.query(
        `SELECT DISTINCT timezone FROM leads WHERE campaign_id = ? AND status IN ('new','retry','callback')`,
        [campaign.id],
      );
      entry = { zones: rows.map((r) => r.timezone), at: t };
      // A campaign without dialable leads is asked again next time: a list just imported is dialled at once.
      if (this.timezoneCacheMs > 0 && entry.zones.length > 0) this.zoneCache.set(campaign.id, entry);
    }
    return entry.zones.filter((zone) => isWithinCallingWindow(campaign.window, zone.split(','), now));
  }

  /** Conditions every lead must meet to be dialled now, whatever queue it comes from. */
  private eligibility(campaign: DialCampaign, zones: string[], now: Date, capAttempts: boolean): { sql: string; params: unknown[] } {
    const parts = [
      'l.timezone IN (?)',
      '(l.dial_locked_until IS NULL OR l.dial_locked_until <= ?)',
      `NOT EXISTS (SELECT 1 FROM dnc_entries d WHERE d.phone_bidx = l.phone_bidx AND d.campaign_key IN ('', ?))`,
    ];
    const params: unknown[] = [zones, now, campaign.id];
    if (campaign.consentRequired) parts.push(`l.consent_basis = 'consent'`);
    if (capAttempts) {
      parts.push('l.attempts < ?');
      params.push(campaign.maxAttempts);
    }
    return { sql: parts.join(' AND '), params };
  }

  private pickCallbacks(em: EntityManager, campaign: DialCampaign, limit: number, zones: string[], opts: ReserveOptions): Promise<PickRow[]> {
    // A callback is a promise made to the customer: it is kept even when the attempts are used up.
    // In due order straight from ix_callbacks_due: a sort would lock every due callback, not just `limit`.
    const e = this.eligibility(campaign, zones, opts.now, false);
    const owner = opts.agentId ? '(cb.agent_id IS NULL OR cb.agent_id = ?)' : 'cb.agent_id IS NULL';
    return em.query(
      `SELECT l.id, l.campaign_id, l.attempts, l.timezone, l.status, cb.id AS callback_id, cb.agent_id AS callback_agent_id
         FROM callbacks cb FORCE INDEX (ix_callbacks_due) JOIN leads l ON l.id = cb.lead_id
        WHERE cb.campaign_id = ? AND cb.status = 'pending' AND cb.due_at <= ? AND ${owner}
          AND l.campaign_id = ? AND l.status = 'callback' AND ${e.sql}
        ORDER BY cb.due_at, cb.id
        LIMIT ? FOR UPDATE SKIP LOCKED`,
      [campaign.id, opts.now, ...(opts.agentId ? [opts.agentId] : []), campaign.id, ...e.params, limit],
    );
  }

  private pickLeads(em: EntityManager, campaign: DialCampaign, status: 'new' | 'retry', limit: number, zones: string[], now: Date): Promise<PickRow[]> {
    const e = this.eligibility(campaign, zones, now, true);
    // A retry without a time (its callback was cancelled) is due at once. Ordered as the index
    // ix_leads_dialable is, so the scan stops (and stops locking) after `limit` matches.
    const due = status === 'retry' ? 'AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= ?)' : '';
    return em.query(
      `SELECT l.id, l.campaign_id, l.attempts, l.timezone, l.status, NULL AS callback_id, NULL AS callback_agent_id
         FROM leads l FORCE INDEX (ix_leads_dialable)
        WHERE l.campaign_id = ? AND l.status = ? ${due} AND ${e.sql}
        ORDER BY l.next_attempt_at, l.id
        LIMIT ? FOR UPDATE SKIP LOCKED`,
      [campaign.id, status, ...(status === 'retry' ? [now] : []), ...e.params, limit],
    );
  }

  private async holdLead(em: EntityManager, leadId: string): Promise<HeldRow | null> {
    const rows: HeldRow[] = await em.query(`SELECT ${HELD_COLUMNS} FROM leads WHERE id = ? FOR UPDATE`, [leadId]);
    return rows[0] ?? null;
  }

  private async releaseHeld(em: EntityManager, lead: HeldRow): Promise<void> {
    if (lead.status !== 'reserved') {
      // The agent disposed of the lead while it was held: their decision stands.
      await em.query('UPDATE leads SET reserved_by = NULL, reserved_at = NULL WHERE id = ?', [lead.id]);
      return;
    }
    await em.query(
      'UPDATE leads SET status = ?, assigned_agent_id = NULL, reserved_by = NULL, reserved_at = NULL WHERE id = ?',
      [await this.statusBeforeReservation(em, lead), lead.id],
    );
  }

  /**
   * The status a reserved lead came from, told by what reservation does not change: a lead waiting on a
   * pending callback was 'callback' (callbacks exist only for leads in that status); one never tried
   * and never scheduled was 'new'; any other was 'retry'.
   */
  private async statusBeforeReservation(em: EntityManager, lead: HeldRow): Promise<DialableLeadStatus> {
    const pending: unknown[] = await em.query(`SELECT 1 FROM callbacks WHERE lead_id = ? AND status = 'pending' LIMIT 1`, [lead.id]);
    if (pending.length > 0) return 'callback';
    if (Number(lead.attempts) === 0 && lead.last_attempt_at === null && lead.next_attempt_at === null) return 'new';
    return 'retry';
  }

  private async settleHeld(em: EntityManager, lead: HeldRow, campaign: DialCampaign, result: LeadSettlement): Promise<NextLeadState | null> {
    if (lead.status !== 'reserved') {
      await em.query('UPDATE leads SET reserved_by = NULL, reserved_at = NULL WHERE id = ?', [lead.id]);
      return null;
    }
    const next = nextLeadState({
      outcome: result.outcome,
      at: result.at,
      agentId: result.agentId ?? null,
      attempts: Number(lead.attempts),
      maxAttempts: campaign.maxAttempts,
      retryDelays: campaign.retryDelays,
      abandonLockoutSeconds: result.abandonLockoutSeconds ?? this.abandonLockoutSeconds,
      dialLockedUntil: lead.dial_locked_until,
    });
    await em.query(
      `UPDATE leads SET status = ?, next_attempt_at = ?, dial_locked_until = ?, assigned_agent_id = ?,
              reserved_by = NULL, reserved_at = NULL
        WHERE id = ?`,
      [next.status, next.nextAttemptAt, next.dialLockedUntil, next.assignedAgentId, lead.id],
    );
    // The callback this call served (a lead in 'reserved' has at most that one pending).
    await em.query(`UPDATE callbacks SET status = 'done' WHERE lead_id = ? AND status = 'pending'`, [lead.id]);
    return next;
  }

  /**
   * Takes back one instance's leads and calls, each lead by what happened to it: no call opened →
   * released; a call still open → closed as 'failed' and the lead settled as such; a call that ended
   * but was not settled (the instance died in between) → settled by that call's outcome.
   */
  private recoverInstance(instanceId: string, now: Date): Promise<Omit<RecoveryCounts, 'instances'>> {
    return withLockRetry(() =>
      this.db.transaction(async (em) => {
        const counts = { released: 0, settled: 0, callsClosed: 0 };
        const open: Array<{ call_id: string }> = await em.query(
          `SELECT call_id FROM dialer_calls WHERE state IN ${OPEN_CALL_STATES} AND instance_id = ? FOR UPDATE SKIP LOCKED`,
          [instanceId],
        );
        if (open.length > 0) {
          await em.query(
            `UPDATE dialer_calls SET state = 'ended', ended_at = ?, outcome = 'failed' WHERE call_id IN (?) AND state <> 'ended'`,
            [now, open.map((c) => c.call_id)],
          );
          counts.callsClosed = open.length;
        }

        const leads: HeldRow[] = await em.query(`SELECT ${HELD_COLUMNS} FROM leads WHERE reserved_by = ? FOR UPDATE SKIP LOCKED`, [instanceId]);
        const campaigns = await loadDialCampaigns(em, [...new Set(leads.map((l) => l.campaign_id))]);
        for (const lead of leads) {
          const calls: Array<{ outcome: CallOutcome | null; ended_at: Date | null; agent_id: string | null }> = await em.query(
            `SELECT outcome, ended_at, agent_id FROM dialer_calls
              WHERE lead_id = ? AND instance_id = ? AND started_at >= ?
              ORDER BY started_at DESC LIMIT 1`,
            [lead.id, instanceId, lead.reserved_at ?? new Date(0)],
          );
          const call = calls[0];
          const campaign = campaigns.get(lead.campaign_id);
          if (!call || !campaign) {
            await this.releaseHeld(em, lead);
            counts.released += 1;
            continue;
          }
          await this.settleHeld(em, lead, campaign, {
            outcome: call.outcome ?? 'failed',
            at: call.ended_at ?? now,
            agentId: call.agent_id,
          });
          counts.settled += 1;
        }
        return counts;
      }),
    );
  }
}
