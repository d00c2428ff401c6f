import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { CallRecordListQueryDto } from './call-record.dto';
import { CallRecordService } from './call-record.service';

@ApiTags('call-records')
@Controller('call-records')
export class CallRecordController {
  constructor(private readonly records: CallRecordService) {}

  @Get()
  @Authenticated({ permission: Permission.CallRecordRead })
  @ApiOperation({ summary: 'Call records: an agent’s own, a manager’s campaigns’, or all for QA' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: CallRecordListQueryDto) {
    return this.records.list(asUser(principal), query);
  }

  @Get(':id')
  @Authenticated({ permission: Permission.CallRecordRead })
  @ApiOperation({ summary: 'One call record; 404 when it is not the caller’s to read' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.records.get(asUser(principal), id);
  }
}
