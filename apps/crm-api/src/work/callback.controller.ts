import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { CallbackService } from './callback.service';

/** An agent's callbacks. Reading the list is part of the agent's work, hence WorkRecordWrite. */
@ApiTags('work')
@Controller('callbacks')
export class CallbackController {
  constructor(private readonly callbacks: CallbackService) {}

  @Get('mine')
  @Authenticated({ permission: Permission.WorkRecordWrite })
  @ApiOperation({ summary: 'The agent’s own pending callbacks: lead id and due time, no personal data' })
  mine(@CurrentPrincipal() principal: Principal) {
    return this.callbacks.mine(asUser(principal));
  }

  @Post(':id/done')
  @HttpCode(204)
  @Authenticated({ permission: Permission.WorkRecordWrite })
  async done(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.callbacks.close(asUser(principal), id, 'done');
  }

  @Post(':id/cancel')
  @HttpCode(204)
  @Authenticated({ permission: Permission.WorkRecordWrite })
  async cancel(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.callbacks.close(asUser(principal), id, 'cancelled');
  }
}
