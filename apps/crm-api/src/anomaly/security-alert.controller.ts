import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { AnomalyService } from './anomaly.service';

@ApiTags('security')
@Controller('admin/security')
export class SecurityAlertController {
  constructor(private readonly anomaly: AnomalyService) {}

  @Get('alerts')
  @Authenticated({ permission: Permission.SecurityAlertManage })
  alerts(@Query('all') all?: string) {
    return this.anomaly.listAlerts(all !== 'true');
  }

  @Post('users/:id/unfreeze')
  @HttpCode(204)
  @Authenticated({ permission: Permission.SecurityAlertManage, reauth: true })
  async unfreeze(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.anomaly.unfreeze(asUser(principal), id);
  }
}
