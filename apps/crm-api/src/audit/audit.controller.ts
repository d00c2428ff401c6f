import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '@app/audit';
import { Authenticated, Permission } from '@app/auth';
import { AuditListQueryDto } from './audit.dto';

@ApiTags('audit')
@Controller('admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authenticated({ permission: Permission.AuditRead })
  list(@Query() query: AuditListQueryDto) {
    return this.audit.list({ limit: query.limit ?? 100, beforeSeq: query.beforeSeq, action: query.action, actorId: query.actorId });
  }

  @Get('verify')
  @Authenticated({ permission: Permission.AuditVerify })
  @ApiOperation({ summary: 'Walks the hash chain; names the first altered, inserted or deleted entry' })
  async verify() {
    const result = await this.audit.verify();
    await this.audit.record({ action: 'audit.verify', outcome: result.ok ? 'success' : 'failure', details: { checked: result.checked } });
    return result;
  }
}
