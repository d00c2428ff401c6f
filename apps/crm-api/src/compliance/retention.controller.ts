import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, Permission } from '@app/auth';
import { RetentionService } from './retention.service';

@ApiTags('admin')
@Controller('admin/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('run')
  @HttpCode(200)
  @Authenticated({ permission: Permission.RetentionRun })
  @ApiOperation({ summary: 'Runs lead retention now (otherwise scheduled); answers with counts per campaign; audited' })
  run() {
    return this.retention.run('manual');
  }
}
