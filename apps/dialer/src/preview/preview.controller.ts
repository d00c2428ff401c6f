import { Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, UserPrincipal } from '@app/auth';
import { PreviewOffer, PreviewService } from './preview.service';

@ApiTags('preview')
@Controller('preview')
export class PreviewController {
  constructor(private readonly preview: PreviewService) {}

  @Post('next')
  @Authenticated({ permission: Permission.AgentStateManage })
  @ApiOperation({ summary: 'Preview mode: the next lead for the ready agent (its card comes from the CRM, masked)' })
  next(@CurrentPrincipal() principal: UserPrincipal): Promise<PreviewOffer> {
    return this.preview.next(principal.userId);
  }

  @Post(':callId/dial')
  @HttpCode(202)
  @Authenticated({ permission: Permission.AgentStateManage })
  async dial(@CurrentPrincipal() principal: UserPrincipal, @Param('callId', ParseUUIDPipe) callId: string): Promise<void> {
    await this.preview.dial(principal.userId, callId);
  }

  @Post(':callId/skip')
  @HttpCode(204)
  @Authenticated({ permission: Permission.AgentStateManage })
  async skip(@CurrentPrincipal() principal: UserPrincipal, @Param('callId', ParseUUIDPipe) callId: string): Promise<void> {
    await this.preview.skip(principal.userId, callId);
  }
}
