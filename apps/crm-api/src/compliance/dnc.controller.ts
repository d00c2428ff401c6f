import { Body, Controller, Delete, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { AcceptContentTypes } from '@app/http';
import { asUser } from '../identity/auth.controller';
import { DncAddDto, DncBulkQueryDto, DncListQueryDto, DncRemoveDto } from './dnc.dto';
import { DncService } from './dnc.service';

@ApiTags('dnc')
@Controller('dnc')
export class DncController {
  constructor(private readonly dnc: DncService) {}

  @Get()
  @Authenticated({ permission: Permission.DncManage })
  @ApiOperation({ summary: 'A page of the global list (no campaignId) or a campaign’s list; numbers masked; audited' })
  list(@CurrentPrincipal() principal: Principal, @Query() query: DncListQueryDto) {
    return this.dnc.listFor(asUser(principal), query.campaignId ?? null, query.limit ?? 50, query.offset ?? 0);
  }

  @Post()
  @Authenticated({ permission: Permission.DncManage })
  @ApiOperation({ summary: 'Adds a number to the global list or a campaign’s list; audited' })
  add(@CurrentPrincipal() principal: Principal, @Body() body: DncAddDto) {
    return this.dnc.addByUser(asUser(principal), { phone: body.phone, region: body.region }, body.campaignId ?? null, body.reason ?? null);
  }

  @Delete()
  @HttpCode(204)
  @Authenticated({ permission: Permission.DncManage })
  @ApiOperation({ summary: 'Takes a number off a list (the global list needs a reason); audited' })
  async remove(@CurrentPrincipal() principal: Principal, @Body() body: DncRemoveDto): Promise<void> {
    await this.dnc.removeByUser(asUser(principal), { phone: body.phone, region: body.region }, body.campaignId ?? null, body.reason ?? null);
  }

  @Post('bulk')
  @HttpCode(200)
  @AcceptContentTypes('text/csv')
  @ApiConsumes('text/csv')
  @Authenticated({ permission: Permission.DncManage })
  @ApiOperation({ summary: 'Adds the numbers of a CSV (first column); reports invalid lines by number; audited' })
  bulk(@CurrentPrincipal() principal: Principal, @Query() query: DncBulkQueryDto, @Req() req: Request) {
    return this.dnc.bulk(asUser(principal), query.campaignId ?? null, query.region ?? null, req);
  }
}
