import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { Clock } from '@app/domain';
import { DialerException, DialerExceptionCode } from '../dialer.exception';
import { AgentStateRepository } from './agent-state.repository';
import { AgentChosenState, AgentState, AgentStateEvent, AgentStatus } from './agent-state.types';

/** From which states an agent may choose each state themselves; calls move them through the rest. */
const CHOOSABLE_FROM: Readonly<Record<AgentChosenState, readonly AgentState[]>> = {
  ready: ['offline', 'paused', 'wrap_up', 'ready'],
  paused: ['offline', 'ready', 'wrap_up', 'paused'],
  offline: ['ready', 'paused', 'wrap_up', 'offline'],
};

export interface AgentStateRequest {
  state: AgentChosenState;
  campaignId?: string;
  pauseReason?: string;
}

/**
 * The agent's state machine: offline, ready, reserved, on call, wrap-up (timed), paused with a reason.
 * Agents choose ready, paused and offline; the dialer moves them through reserved, on call and
 * wrap-up as calls come and go. A frozen or disabled account, or one without a registered phone,
 * is never made ready, and is never handed a call (the reservation query checks it again).
 */
@Injectable()
export class AgentStateService {
  constructor(
    private readonly states: AgentStateRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  get(userId: string): Promise<AgentStatus> {
    return this.states.get(userId);
  }

  async choose(userId: string, request: AgentStateRequest): Promise<AgentStatus> {
    const now = this.clock.now();
    if (request.state === 'ready') {
      const who = await this.states.eligibility(userId, now);
      if (!who.isAgent || !who.active || who.frozen) {
        await this.audit.record({ action: 'agent.state', outcome: 'denied', targetType: 'user', targetId: userId, details: { state: 'ready', reason: 'account' } });
        throw new DialerException(DialerExceptionCode.AgentUnavailable, 'This account cannot take calls');
      }
      if (!request.campaignId || !who.assignedCampaigns.includes(request.campaignId)) {
        throw new DialerException(DialerExceptionCode.NotFound, 'Not found');
      }
      if (!who.registered) throw new DialerException(DialerExceptionCode.AgentUnavailable, 'No phone is registered for this agent');
    }
    if (request.state === 'paused' && !request.pauseReason) {
      throw new DialerException(DialerExceptionCode.InvalidAgentState, 'A pause needs a reason');
    }
    const event = await this.states.transition(
      userId,
      CHOOSABLE_FROM[request.state],
      {
        state: request.state,
        pauseReason: request.pauseReason ?? null,
        ...(request.state === 'ready' ? { campaignId: request.campaignId, callId: null } : {}),
        ...(request.state === 'offline' ? { campaignId: null, callId: null } : {}),
      },
      now,
    );
    if (!event) throw new DialerException(DialerExceptionCode.InvalidAgentState, 'Not possible during a call');
    return event;
  }

  /** Progressive and preview: the agent the call is for, reserved before anything is dialled. */
  reserve(userId: string, campaignId: string, callId: string): Promise<AgentStateEvent | null> {
    return this.states.transition(userId, ['ready'], { state: 'reserved', campaignId, callId }, this.clock.now());
  }

  /** Predictive: whoever of the campaign's ready agents has waited longest. */
  reserveAny(campaignId: string, callId: string): Promise<AgentStateEvent | null> {
    return this.states.reserveReadyAgent(campaignId, callId, this.clock.now());
  }

  connected(userId: string, callId: string): Promise<AgentStateEvent | null> {
    return this.states.transition(userId, ['reserved'], { state: 'on_call', callId }, this.clock.now(), callId);
  }

  /** The call ended after the agent was connected: timed wrap-up, then ready again. */
  wrapUp(userId: string, callId: string, seconds: number): Promise<AgentStateEvent | null> {
    const now = this.clock.now();
    return this.states.transition(userId, ['on_call', 'reserved'], { state: 'wrap_up', wrapUpUntil: new Date(now.getTime() + seconds * 1000) }, now, callId);
  }

  /** The call never reached the agent (no answer, busy, failure): straight back to ready. */
  release(userId: string, callId: string): Promise<AgentStateEvent | null> {
    return this.states.transition(userId, ['reserved'], { state: 'ready', callId: null }, this.clock.now(), callId);
  }

  endWrapUps(): Promise<AgentStateEvent[]> {
    return this.states.endWrapUps(this.clock.now());
  }
}
