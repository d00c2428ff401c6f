import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { LeadService } from './lead.service';

@ApiTags('leads')
@Controller('leads')
export class LeadController {
  constructor(private readonly leads: LeadService) {}

  @Get(':id')
  @Authenticated({ permission: Permission.LeadRead })
  @ApiOperation({ summary: 'The lead card, phone number masked; audited and counted' })
  card(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.leads.card(asUser(principal), id);
  }

  @Post(':id/reveal-phone')
  @HttpCode(200)
  @Authenticated({ permission: Permission.LeadReveal, reauth: true })
  @ApiOperation({ summary: 'The full phone number; needs re-authentication; audited and counted' })
  reveal(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.leads.revealPhone(asUser(principal), id);
  }
}
