import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { LeadExportService } from './lead-export.service';

@ApiTags('campaigns')
@Controller('campaigns')
export class LeadExportController {
  constructor(private readonly exports: LeadExportService) {}

  @Get(':id/leads/export')
  @Authenticated({ permission: Permission.LeadExport, reauth: true })
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The campaign’s leads as CSV (formulas neutralised); needs re-authentication; audited and counted' })
  async export(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Res() res: Response): Promise<void> {
    await this.exports.exportCsv(asUser(principal), id, () => {
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="campaign-${id}-leads.csv"`);
      return res;
    });
  }
}
