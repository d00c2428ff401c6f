import { Body, Controller, Get, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { asUser } from '../identity/auth.controller';
import { DispositionService } from './disposition.service';
import { NoteService } from './note.service';
import { DispositionCreateDto, NoteCreateDto } from './work.dto';

@ApiTags('work')
@Controller('leads')
export class LeadWorkController {
  constructor(
    private readonly dispositions: DispositionService,
    private readonly notes: NoteService,
  ) {}

  @Post(':id/disposition')
  @Authenticated({ permission: Permission.WorkRecordWrite })
  @ApiOperation({ summary: 'Sets the disposition of the lead the agent is working; the agent’s assignment ends' })
  dispose(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: DispositionCreateDto) {
    return this.dispositions.dispose(asUser(principal), id, body);
  }

  @Post(':id/notes')
  @Authenticated({ permission: Permission.WorkRecordWrite })
  @ApiOperation({ summary: 'Adds a note (stored encrypted) to the lead the agent is working' })
  addNote(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: NoteCreateDto) {
    return this.notes.add(asUser(principal), id, body.body);
  }

  @Get(':id/notes')
  @Authenticated({ permission: Permission.LeadRead })
  @ApiOperation({ summary: 'The lead’s notes, decrypted; audited and counted as a read of personal data' })
  notesOf(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string) {
    return this.notes.list(asUser(principal), id);
  }
}
