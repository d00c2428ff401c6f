import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { AcceptContentTypes } from '@app/http';
import { asUser } from '../identity/auth.controller';
import { ImportIssuesQueryDto, LeadImportQueryDto, LeadListCreateDto } from './lead-import.dto';
import { LeadImportService } from './lead-import.service';
import { LeadListService } from './lead-list.service';

@ApiTags('lead imports')
@Controller()
export class LeadImportController {
  constructor(
    private readonly lists: LeadListService,
    private readonly imports: LeadImportService,
  ) {}

  @Post('campaigns/:id/lists')
  @Authenticated({ permission: Permission.LeadImport })
  createList(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) campaignId: string, @Body() body: LeadListCreateDto) {
    return this.lists.create(asUser(principal), campaignId, body);
  }

  @Get('campaigns/:id/lists')
  @Authenticated({ permission: Permission.LeadImport })
  listLists(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) campaignId: string) {
    return this.lists.list(asUser(principal), campaignId);
  }

  @Post('lists/:listId/imports')
  @Authenticated({ permission: Permission.LeadImport })
  @AcceptContentTypes('text/csv')
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Imports a CSV (streamed) into the list; answers with the report when done' })
  importCsv(
    @CurrentPrincipal() principal: Principal,
    @Param('listId', ParseUUIDPipe) listId: string,
    @Query() query: LeadImportQueryDto,
    @Req() request: Request,
  ) {
    const length = request.headers['content-length'];
    return this.imports.run(asUser(principal), listId, {
      body: request,
      bytesTotal: length !== undefined && /^\d+$/.test(length) ? Number(length) : null,
      mapping: query.mapping,
    });
  }

  @Get('imports/:id')
  @Authenticated({ permission: Permission.LeadImport })
  @ApiOperation({ summary: 'An import: status, progress (bytes and rows done) and counts' })
  getImport(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.imports.get(asUser(principal), id);
  }

  @Get('imports/:id/issues')
  @Authenticated({ permission: Permission.LeadImport })
  @ApiOperation({ summary: 'The rows of an import that were rejected, duplicates or on a do-not-call list' })
  issues(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Query() query: ImportIssuesQueryDto) {
    return this.imports.issues(asUser(principal), id, query.offset ?? 0, query.limit ?? 100);
  }
}
