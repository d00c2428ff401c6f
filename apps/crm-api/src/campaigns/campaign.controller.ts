import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { CampaignAgentsDto, CampaignCreateDto, CampaignStatusDto, CampaignUpdateDto } from './campaign.dto';
import { CampaignService } from './campaign.service';

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignController {
  constructor(private readonly campaigns: CampaignService) {}

  @Get()
  @Authenticated({ permission: Permission.CampaignRead })
  list(@CurrentPrincipal() principal: Principal) {
    return this.campaigns.list(asUser(principal));
  }

  @Post()
  @Authenticated({ permission: Permission.CampaignManage })
  create(@CurrentPrincipal() principal: Principal, @Body() body: CampaignCreateDto) {
    return this.campaigns.create(asUser(principal), body);
  }

  @Get(':id')
  @Authenticated({ permission: Permission.CampaignRead })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.campaigns.get(asUser(principal), id);
  }

  @Patch(':id')
  @Authenticated({ permission: Permission.CampaignManage })
  update(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CampaignUpdateDto) {
    return this.campaigns.update(asUser(principal), id, body);
  }

  @Post(':id/status')
  @Authenticated({ permission: Permission.CampaignManage })
  setStatus(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CampaignStatusDto) {
    return this.campaigns.setStatus(asUser(principal), id, body.status);
  }

  @Get(':id/agents')
  @Authenticated({ permission: Permission.CampaignManage })
  agents(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.campaigns.agents(asUser(principal), id);
  }

  @Put(':id/agents')
  @Authenticated({ permission: Permission.CampaignManage })
  assignAgents(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: CampaignAgentsDto) {
    return this.campaigns.assignAgents(asUser(principal), id, body.agentIds);
  }
}
