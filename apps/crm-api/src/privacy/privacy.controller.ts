import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { PrivacyRequestCreateDto, PrivacyRequestListQueryDto, PrivacySearchDto } from './privacy.dto';
import { PrivacyService } from './privacy.service';

/** Data-subject requests. Every route needs a fresh re-authentication. */
@ApiTags('privacy')
@Controller('privacy')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @Post('search')
  @HttpCode(200)
  @Authenticated({ permission: Permission.PrivacyRequestManage, reauth: true })
  @ApiOperation({ summary: 'Finds people by phone number or e-mail: subject and lead ids only; audited' })
  search(@Body() body: PrivacySearchDto) {
    return this.privacy.search(body);
  }

  @Post('requests')
  @Authenticated({ permission: Permission.PrivacyRequestManage, reauth: true })
  @ApiOperation({ summary: 'Records and carries out an export, rectification or erasure; audited' })
  create(@CurrentPrincipal() principal: Principal, @Body() body: PrivacyRequestCreateDto) {
    return this.privacy.handle(asUser(principal), {
      kind: body.kind,
      subjectId: body.subjectId,
      reference: body.reference ?? null,
      fields: body.fields,
    });
  }

  @Get('requests')
  @Authenticated({ permission: Permission.PrivacyRequestManage, reauth: true })
  list(@Query() query: PrivacyRequestListQueryDto) {
    return this.privacy.list(query.subjectId ?? null, query.limit ?? 50);
  }

  @Get('requests/:id')
  @Authenticated({ permission: Permission.PrivacyRequestManage, reauth: true })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.privacy.get(id);
  }
}
