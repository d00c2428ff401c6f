import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { AgentStateService } from '../agents/agent-state.service';
import { DialCampaign, DialCampaignRepository } from '../campaigns/dial-campaign.repository';
import { DialerRuntimeConfig } from '../dialer.config';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { LeadQueueRepository, ReservedLead } from '../leads/lead-queue.repository';
import { DialOrchestrator } from '../runner/dial-orchestrator.service';
import { TelephonyHealth } from '../telephony/telephony-health';

interface PendingPreview {
  agentId: string;
  campaign: DialCampaign;
  lead: ReservedLead;
}

export interface PreviewOffer {
  callId: string;
  leadId: string;
  campaignId: string;
}

/**
 * Preview dialling: the agent is given one lead (they read its masked card from the CRM, which lets
 * an agent read the lead they are working), then dials or skips it. Until then the agent is reserved
 * and the lead is held by this instance.
 */
@Injectable()
export class PreviewService {
  private readonly pending = new Map<string, PendingPreview>();

  constructor(
    private readonly runtime: DialerRuntimeConfig,
    private readonly campaigns: DialCampaignRepository,
    private readonly leads: LeadQueueRepository,
    private readonly agents: AgentStateService,
    private readonly orchestrator: DialOrchestrator,
    private readonly telephony: TelephonyHealth,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async next(agentId: string): Promise<PreviewOffer> {
    if (!this.telephony.ready()) throw new DialerException(DialerExceptionCode.TelephonyDown, 'Telephony is down; no call can be started');
    const state = await this.agents.get(agentId);
    const campaign = state.campaignId ? await this.campaigns.findById(state.campaignId) : null;
    if (state.state !== 'ready' || !campaign || campaign.status !== 'active' || campaign.dialMode !== 'preview') {
      throw new DialerException(DialerExceptionCode.InvalidAgentState, 'Be ready in an active preview campaign first');
    }
    const callId = this.orchestrator.newCallId();
    if (!(await this.agents.reserve(agentId, campaign.id, callId))) {
      throw new DialerException(DialerExceptionCode.InvalidAgentState, 'Be ready in an active preview campaign first');
    }
    const [lead] = await this.leads.reserve(campaign, 1, { instanceId: this.runtime.instanceId, now: this.clock.now(), agentId });
    if (!lead) {
      await this.agents.release(agentId, callId);
      throw new DialerException(DialerExceptionCode.NoLead, 'No lead can be called now');
    }
    this.pending.set(callId, { agentId, campaign, lead });
    return { callId, leadId: lead.leadId, campaignId: campaign.id };
  }

  async dial(agentId: string, callId: string): Promise<void> {
    const preview = this.take(agentId, callId);
    if (!this.telephony.ready()) {
      this.pending.set(callId, preview);
      throw new DialerException(DialerExceptionCode.TelephonyDown, 'Telephony is down; no call can be started');
    }
    const started = await this.orchestrator.dial(preview.campaign, preview.lead, agentId, callId);
    if (!started) throw new DialerException(DialerExceptionCode.LeadNotDialable, 'This lead cannot be called now');
  }

  async skip(agentId: string, callId: string): Promise<void> {
    const preview = this.take(agentId, callId);
    await this.leads.release(preview.lead.leadId, this.runtime.instanceId);
    await this.agents.release(agentId, callId);
    await this.audit.record({ action: 'dialer.preview_skip', outcome: 'success', targetType: 'lead', targetId: preview.lead.leadId, details: { callId } });
  }

  private take(agentId: string, callId: string): PendingPreview {
    const preview = this.pending.get(callId);
    if (!preview || preview.agentId !== agentId) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    this.pending.delete(callId);
    return preview;
  }
}
