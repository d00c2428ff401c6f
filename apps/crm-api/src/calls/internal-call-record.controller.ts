import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Permission } from '@app/auth';
import { CallRecordWriteDto } from './call-record.dto';
import { CallRecordService } from './call-record.service';

/** Service to service: only the dialer holds CallRecordWrite (a service token, never a user's). */
@ApiTags('internal')
@Controller('internal/call-records')
export class InternalCallRecordController {
  constructor(private readonly records: CallRecordService) {}

  @Post()
  @Authenticated({ permission: Permission.CallRecordWrite })
  @ApiOperation({ summary: 'One CDR from the dialer; a retry of the same call id updates, never duplicates' })
  write(@Body() body: CallRecordWriteDto) {
    return this.records.write(body);
  }
}
