import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { AgentStateService } from '../agents/agent-state.service';
import { DialerCallRepository, LeadNotHeldError } from '../calls/dialer-call.repository';
import { CdrReporter } from '../calls/cdr-reporter.service';
import { DialCampaign } from '../campaigns/dial-campaign.repository';
import { CrmClient } from '../crm/crm.client';
import { DialerRuntimeConfig, RtpengineConfig } from '../dialer.config';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { LeadQueueRepository, ReservedLead } from '../leads/lead-queue.repository';
import { PacingStatistics } from '../pacing';
import { CallSessionFactory } from '../session/call-session.factory';
import { SessionResult } from '../session/call-session.ports';
import { OutboundCallSession } from '../session/outbound-call.session';

interface LiveCall {
  session: OutboundCallSession;
  campaignId: string;
  leadId: string;
}

/**
 * Turns a reserved lead (and, for progressive and preview, a reserved agent) into a call: asks the
 * CRM for the number at dial time (DNC and consent are checked again there), opens the CDR, runs the
 * call session, and settles the lead when it ends. Holds this instance's live calls.
 */
@Injectable()
export class DialOrchestrator {
  private readonly log = new Logger(DialOrchestrator.name);
  private readonly live = new Map<string, LiveCall>();
  private readonly statistics = new Map<string, PacingStatistics>();

  constructor(
    private readonly runtime: DialerRuntimeConfig,
    private readonly media: RtpengineConfig,
    private readonly leads: LeadQueueRepository,
    private readonly calls: DialerCallRepository,
    private readonly crm: CrmClient,
    private readonly agents: AgentStateService,
    private readonly sessions: CallSessionFactory,
    private readonly reporter: CdrReporter,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  newCallId(): string {
    return randomUUID();
  }

  statisticsOf(campaignId: string): PacingStatistics {
    let stats = this.statistics.get(campaignId);
    if (!stats) {
      stats = new PacingStatistics();
      this.statistics.set(campaignId, stats);
    }
    return stats;
  }

  /** This instance's calls of a campaign not answered yet (pacing counts them as in flight). */
  unansweredCalls(campaignId: string): number {
    let n = 0;
    for (const call of this.live.values()) if (call.campaignId === campaignId && !call.session.answered) n += 1;
    return n;
  }

  liveCalls(): { callId: string; campaignId: string; agentId: string | null; answered: boolean }[] {
    return [...this.live.entries()].map(([callId, c]) => ({
      callId,
      campaignId: c.campaignId,
      agentId: c.session.currentAgentId,
      answered: c.session.answered,
    }));
  }

  find(callId: string): LiveCall | undefined {
    return this.live.get(callId);
  }

  /**
   * Starts the call and returns once it is under way (or refused before any SIP was sent). The lead is
   * released untouched, and the agent made ready again, whenever no call could be placed.
   */
  async dial(campaign: DialCampaign, lead: ReservedLead, agentId: string | null, callId: string): Promise<boolean> {
    const instanceId = this.runtime.instanceId;
    let target: Awaited<ReturnType<CrmClient['dialTarget']>>;
    try {
      target = await this.crm.dialTarget(lead.leadId, campaign.id, callId);
    } catch (err) {
      this.log.warn(`call ${callId}: the CRM did not give a dial target (${err instanceof Error ? err.name : 'error'}); lead released`);
      await this.giveBack(lead, agentId, callId);
      return false;
    }
    if (!target.allowed) {
      // Listed, withdrawn or erased since it was reserved: never dialled; the next selection skips it.
      await this.audit.record({
        action: 'dialer.dial_refused',
        outcome: 'denied',
        targetType: 'lead',
        targetId: lead.leadId,
        details: { callId, reason: target.reason },
      });
      await this.giveBack(lead, agentId, callId);
      return false;
    }
    try {
      await this.calls.open({ callId, instanceId, campaignId: campaign.id, leadId: lead.leadId, agentId, dialMode: campaign.dialMode, startedAt: this.clock.now() });
    } catch (err) {
      // Taken back by recovery in the meantime: the lead is someone else's now, only the agent is ours.
      if (agentId) await this.agents.release(agentId, callId);
      if (err instanceof LeadNotHeldError) return false;
      throw err;
    }
    const session = this.sessions.create({
      callId,
      campaignId: campaign.id,
      callerIds: campaign.callerIds,
      number: target.number,
      agentId,
      record: campaign.recordingPolicy === 'all',
      ringTimeoutSeconds: this.runtime.ringTimeoutSeconds,
      agentWaitSeconds: this.runtime.agentWaitSeconds,
      agentRingTimeoutSeconds: 10,
      agentMedia: this.media.agentMedia,
    });
    this.live.set(callId, { session, campaignId: campaign.id, leadId: lead.leadId });
    this.statisticsOf(campaign.id).callPlaced(this.clock.now());
    void session
      .run()
      .then((result) => this.settle(campaign, lead, callId, result))
      .catch((err: unknown) => this.log.error(`call ${callId}: ${err instanceof Error ? err.message : 'error'}`))
      .finally(() => this.live.delete(callId));
    return true;
  }

  async transfer(callId: string, agentId: string): Promise<void> {
    const call = this.live.get(callId);
    if (!call) throw new DialerException(DialerExceptionCode.CallNotLive, 'The call is not live on this dialer');
    const reserved = await this.agents.reserve(agentId, call.campaignId, callId);
    if (!reserved) throw new DialerException(DialerExceptionCode.AgentUnavailable, 'That agent is not ready');
    try {
      await call.session.transferTo(agentId);
    } catch {
      await this.agents.release(agentId, callId);
      throw new DialerException(DialerExceptionCode.AgentUnavailable, 'The transfer did not connect');
    }
  }

  /** Ends every live call (shutdown): each session settles its lead and CDR as it ends. */
  async hangUpAll(): Promise<void> {
    await Promise.allSettled([...this.live.values()].map((c) => c.session.hangUp()));
  }

  private async giveBack(lead: ReservedLead, agentId: string | null, callId: string): Promise<void> {
    await this.leads.release(lead.leadId, this.runtime.instanceId);
    if (agentId) await this.agents.release(agentId, callId);
  }

  private async settle(campaign: DialCampaign, lead: ReservedLead, callId: string, result: SessionResult): Promise<void> {
    const stats = this.statisticsOf(campaign.id);
    stats.callEnded(this.clock.now(), {
      outcome: result.outcome,
      ringSeconds: secondsBetween(result.startedAt, result.answeredAt ?? result.endedAt),
      talkSeconds: result.talkSeconds,
      wrapUpSeconds: result.agentId ? this.runtime.wrapUpSeconds : 0,
    });
    await this.leads.settle(lead.leadId, this.runtime.instanceId, campaign, {
      outcome: result.outcome,
      at: result.endedAt ?? this.clock.now(),
      agentId: result.agentId,
      abandonLockoutSeconds: this.runtime.abandonLockoutHours * 3600,
    });
    await this.reporter.flush().catch(() => undefined);
  }
}

function secondsBetween(from: Date, to: Date | null): number {
  return to ? Math.max(0, (to.getTime() - from.getTime()) / 1000) : 0;
}
