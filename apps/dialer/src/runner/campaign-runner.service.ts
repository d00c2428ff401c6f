import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '@app/domain';
import { AgentStateRepository } from '../agents/agent-state.repository';
import { AgentStateService } from '../agents/agent-state.service';
import { DialerCallRepository } from '../calls/dialer-call.repository';
import { DialCampaign, DialCampaignRepository } from '../campaigns/dial-campaign.repository';
import { DialerRuntimeConfig } from '../dialer.config';
import { LeadQueueRepository } from '../leads/lead-queue.repository';
import { decideCallsToPlace, PacingDecision } from '../pacing';
import { TelephonyHealth } from '../telephony/telephony-health';
import { DialOrchestrator } from './dial-orchestrator.service';

/** How long an instance may miss heartbeats before its leads and calls are recovered by the others. */
const STALE_INSTANCE_SECONDS = 30;

export interface CampaignPacingView {
  campaignId: string;
  decision: PacingDecision;
  at: Date;
}

/**
 * The pacing loop: each tick, for every active progressive or predictive campaign, asks pacing how
 * many calls to place and places them. While drachtio-server or rtpengine is down nothing is placed
 * and no lead is reserved, so nothing is consumed.
 */
@Injectable()
export class CampaignRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger(CampaignRunner.name);
  private timer: NodeJS.Timeout | null = null;
  private ticking = false;
  private ticks = 0;
  private readonly lastDecisions = new Map<string, CampaignPacingView>();

  constructor(
    private readonly runtime: DialerRuntimeConfig,
    private readonly telephony: TelephonyHealth,
    private readonly campaigns: DialCampaignRepository,
    private readonly leads: LeadQueueRepository,
    private readonly states: AgentStateRepository,
    private readonly agents: AgentStateService,
    private readonly calls: DialerCallRepository,
    private readonly orchestrator: DialOrchestrator,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.leads.registerInstance(this.runtime.instanceId, this.clock.now());
    if (!this.runtime.runnerEnabled) return;
    this.timer = setInterval(() => void this.tick(), this.runtime.tickMs);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.orchestrator.hangUpAll();
  }

  decisions(): CampaignPacingView[] {
    return [...this.lastDecisions.values()];
  }

  /** One pacing round; public so tests can drive it step by step. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = this.clock.now();
      await this.leads.heartbeat(this.runtime.instanceId, now);
      if (this.ticks++ % 10 === 0) await this.leads.recoverDeadInstances(now, STALE_INSTANCE_SECONDS);
      await this.agents.endWrapUps();
      if (!this.telephony.ready()) return;
      for (const campaign of await this.campaigns.activeCampaigns()) {
        if (campaign.dialMode === 'preview') continue;
        await this.pace(campaign, now);
      }
    } catch (err) {
      this.log.error(`pacing round failed: ${err instanceof Error ? err.message : 'error'}`);
    } finally {
      this.ticking = false;
    }
  }

  private async pace(campaign: DialCampaign, now: Date): Promise<void> {
    const counts = await this.states.counts(campaign.id, now);
    const abandon = await this.calls.abandonStats(campaign.id, now);
    const decision = decideCallsToPlace({
      mode: campaign.dialMode,
      readyAgents: counts.ready,
      reservedAgents: counts.reserved,
      onCallElapsedSeconds: counts.onCallElapsedSeconds,
      wrapUpRemainingSeconds: counts.wrapUpRemainingSeconds,
      callsInFlight: this.orchestrator.unansweredCalls(campaign.id),
      stats: this.orchestrator.statisticsOf(campaign.id).snapshot(now),
      maxAbandonRate: campaign.maxAbandonRate,
      abandonRate30d: abandon.rate30d,
      abandonRate24h: abandon.rate24h,
    });
    this.lastDecisions.set(campaign.id, { campaignId: campaign.id, decision, at: now });
    for (let i = 0; i < decision.calls; i++) {
      if (!this.telephony.ready()) return;
      const callId = this.orchestrator.newCallId();
      let agentId: string | null = null;
      if (decision.mode === 'progressive') {
        // One call per ready agent: the agent is reserved first, so an answer always finds them.
        agentId = (await this.agents.reserveAny(campaign.id, callId))?.userId ?? null;
        if (!agentId) return;
      }
      const [lead] = await this.leads.reserve(campaign, 1, { instanceId: this.runtime.instanceId, now, ...(agentId ? { agentId } : {}) });
      if (!lead) {
        if (agentId) await this.agents.release(agentId, callId);
        return;
      }
      await this.orchestrator.dial(campaign, lead, agentId, callId);
    }
  }
}
