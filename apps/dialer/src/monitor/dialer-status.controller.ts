import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import { Authenticated, CurrentPrincipal, Permission, Public, UserPrincipal } from '@app/auth';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { AgentStateRepository } from '../agents/agent-state.repository';
import { DialerCallRepository } from '../calls/dialer-call.repository';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { CampaignRunner } from '../runner/campaign-runner.service';
import { DialOrchestrator } from '../runner/dial-orchestrator.service';
import { TelephonyHealth } from '../telephony/telephony-health';

export class TransferDto {
  @ApiProperty({ description: 'The agent to hand the customer to (ready, in the same campaign)' })
  @IsUUID()
  agentId!: string;
}

/**
 * What managers watch (telephony up or down, pacing per campaign, abandon rates, live calls) and the
 * manager's control of a live call. Scoped to the campaigns the manager manages.
 */
@ApiTags('dialer')
@Controller()
export class DialerStatusController {
  constructor(
    private readonly telephony: TelephonyHealth,
    private readonly runner: CampaignRunner,
    private readonly orchestrator: DialOrchestrator,
    private readonly calls: DialerCallRepository,
    private readonly states: AgentStateRepository,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Get('health/telephony')
  @Public('readiness of the SIP and media connections for orchestrators; up or down only')
  health() {
    const s = this.telephony.status();
    return { drachtio: s.drachtio, rtpengine: s.rtpengine, ready: this.telephony.ready() };
  }

  @Get('dialer/status')
  @Authenticated({ permission: Permission.DialerMonitor })
  @ApiOperation({ summary: 'Telephony state, pacing and abandon rates (24 h and 30 days) of one’s campaigns, live calls' })
  async status(@CurrentPrincipal() principal: UserPrincipal) {
    const campaigns = new Set(await this.states.managedCampaigns(principal.userId));
    const now = this.clock.now();
    const pacing = [];
    for (const view of this.runner.decisions()) {
      if (!campaigns.has(view.campaignId)) continue;
      pacing.push({ ...view, abandon: await this.calls.abandonStats(view.campaignId, now) });
    }
    return {
      telephony: { ...this.telephony.status(), ready: this.telephony.ready() },
      pacing,
      liveCalls: this.orchestrator.liveCalls().filter((c) => campaigns.has(c.campaignId)),
    };
  }

  @Post('calls/:callId/transfer')
  @HttpCode(204)
  @Authenticated({ permission: Permission.CallControl })
  @ApiOperation({ summary: 'Blind transfer of a live call’s customer to another ready agent' })
  async transfer(@CurrentPrincipal() principal: UserPrincipal, @Param('callId', ParseUUIDPipe) callId: string, @Body() body: TransferDto): Promise<void> {
    const call = this.orchestrator.find(callId);
    const campaigns = await this.states.managedCampaigns(principal.userId);
    if (!call || !campaigns.includes(call.campaignId)) throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
    await this.orchestrator.transfer(callId, body.agentId);
    await this.audit.record({ action: 'dialer.transfer', outcome: 'success', targetType: 'call', targetId: callId, details: { agentId: body.agentId } });
  }
}
