import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { ComplianceService } from './compliance.service';
import { ConsentDto, LegalHoldDto } from './lead-compliance.dto';

@ApiTags('leads')
@Controller('leads')
export class LeadComplianceController {
  constructor(private readonly compliance: ComplianceService) {}

  @Put(':id/consent')
  @HttpCode(204)
  @Authenticated({ permission: Permission.LeadWrite })
  @ApiOperation({ summary: 'Records the lead’s lawful basis (or consent), its source, time and evidence reference; audited' })
  async consent(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ConsentDto): Promise<void> {
    await this.compliance.setConsent(asUser(principal), id, {
      basis: body.basis,
      source: body.source ?? null,
      at: body.at ?? null,
      evidenceRef: body.evidenceRef ?? null,
    });
  }

  @Put(':id/legal-hold')
  @HttpCode(204)
  @Authenticated({ permission: Permission.LeadWrite })
  @ApiOperation({ summary: 'Puts a lead under legal hold (kept past retention, not erased) or releases it; audited' })
  async legalHold(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: LegalHoldDto): Promise<void> {
    await this.compliance.setLegalHold(asUser(principal), id, body.hold);
  }
}
