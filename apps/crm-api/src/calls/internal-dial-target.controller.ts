import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Permission } from '@app/auth';
import { DialTargetRequestDto, DialTargetResponseDto } from './internal-dial-target.dto';
import { DialTargetService } from './internal-dial-target.service';

/** Service to service: only the dialer holds LeadDialTarget (a service token, never a user's). */
@ApiTags('internal')
@Controller('internal/dial-targets')
export class InternalDialTargetController {
  constructor(private readonly targets: DialTargetService) {}

  @Post()
  @HttpCode(200)
  @Authenticated({ permission: Permission.LeadDialTarget })
  @ApiOperation({ summary: 'The number to dial for a reserved lead, or why it may not be dialled now' })
  @ApiOkResponse({ type: DialTargetResponseDto })
  dialTarget(@Body() body: DialTargetRequestDto) {
    return this.targets.dialTarget(body.leadId, body.campaignId, body.callId);
  }
}
