import { Body, Controller, Get, MessageEvent, Put, Sse } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { concat, defer, filter, from, map, mergeMap, Observable } from 'rxjs';
import { Authenticated, CurrentPrincipal, Permission, UserPrincipal } from '@app/auth';
import { AgentStateUpdateDto } from './agent.dto';
import { AgentEventFeed } from './agent-event.feed';
import { AgentStateRepository } from './agent-state.repository';
import { AgentStateService } from './agent-state.service';
import { AgentStatus } from './agent-state.types';

/**
 * Agents set their own state; managers watch the agents of their campaigns. Both get live streams
 * (server-sent events): a snapshot first, then every change. Nothing personal travels here.
 */
@ApiTags('agents')
@Controller('agents')
export class AgentController {
  constructor(
    private readonly service: AgentStateService,
    private readonly states: AgentStateRepository,
    private readonly feed: AgentEventFeed,
  ) {}

  @Get('me/state')
  @Authenticated({ permission: Permission.AgentStateManage })
  mine(@CurrentPrincipal() principal: UserPrincipal): Promise<AgentStatus> {
    return this.service.get(principal.userId);
  }

  @Put('me/state')
  @Authenticated({ permission: Permission.AgentStateManage })
  @ApiOperation({ summary: 'Ready (for one assigned campaign), paused with a reason, or offline' })
  choose(@CurrentPrincipal() principal: UserPrincipal, @Body() body: AgentStateUpdateDto): Promise<AgentStatus> {
    return this.service.choose(principal.userId, body);
  }

  @Sse('me/events')
  @Authenticated({ permission: Permission.AgentStateManage })
  @ApiOperation({ summary: 'The agent’s own state, live' })
  myEvents(@CurrentPrincipal() principal: UserPrincipal): Observable<MessageEvent> {
    const userId = principal.userId;
    return concat(
      defer(() => from(this.service.get(userId))),
      this.feed.events().pipe(filter((e) => e.userId === userId)),
    ).pipe(map((data) => ({ type: 'agent-state', data })));
  }

  @Get('states')
  @Authenticated({ permission: Permission.DialerMonitor })
  @ApiOperation({ summary: 'The agents of the campaigns one manages, with their states' })
  async list(@CurrentPrincipal() principal: UserPrincipal): Promise<AgentStatus[]> {
    return this.states.list(await this.states.managedCampaigns(principal.userId));
  }

  @Sse('events')
  @Authenticated({ permission: Permission.DialerMonitor })
  @ApiOperation({ summary: 'Live state changes of the agents of the campaigns one manages' })
  events(@CurrentPrincipal() principal: UserPrincipal): Observable<MessageEvent> {
    return defer(() => from(this.states.managedCampaigns(principal.userId))).pipe(
      mergeMap((campaigns) =>
        defer(() => from(this.states.list(campaigns))).pipe(
          mergeMap((snapshot) => {
            const visible = new Set(snapshot.map((s) => s.userId));
            return concat(from(snapshot), this.feed.events().pipe(filter((e) => visible.has(e.userId))));
          }),
        ),
      ),
      map((data) => ({ type: 'agent-state', data })),
    );
  }
}
