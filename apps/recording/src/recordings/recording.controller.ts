import { Body, Controller, Delete, Get, Headers, HttpCode, HttpException, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Authenticated, CurrentPrincipal, Permission, Principal, Public } from '@app/auth';
import { Playback, PlaybackService } from '../playback/playback.service';
import { PlaybackTicketService } from '../playback/playback-ticket.service';
import { LegalHoldDto, PlaybackTicketResponseDto, RecordedCallCreateDto, RecordingResponseDto, RecordingSearchQueryDto } from './recording.dto';
import { RecordingService } from './recording.service';
import { RetentionService } from './retention.service';

@ApiTags('recordings')
@Controller('recordings')
export class RecordingController {
  constructor(
    private readonly recordings: RecordingService,
    private readonly playback: PlaybackService,
    private readonly tickets: PlaybackTicketService,
    private readonly retention: RetentionService,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.RecordingRead })
  search(@CurrentPrincipal() principal: Principal, @Query() query: RecordingSearchQueryDto): Promise<RecordingResponseDto[]> {
    return this.recordings.search(principal, query);
  }

  @Post('calls')
  @HttpCode(204)
  @Authenticated({ permission: Permission.RecordingIngestWrite })
  @ApiOperation({ summary: 'The dialer registers a call it records: campaign, agent and the customer leg' })
  async registerCall(@Body() body: RecordedCallCreateDto): Promise<void> {
    await this.recordings.registerCall(body);
  }

  @Get(':id')
  @Authenticated({ permission: Permission.RecordingRead })
  get(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<RecordingResponseDto> {
    return this.recordings.get(principal, id);
  }

  /**
   * Key lifecycle: a held recording's data key is never destroyed by retention. No dedicated
   * permission exists yet; KeyManage (administrators, with re-authentication) is the closest.
   */
  @Post(':id/legal-hold')
  @HttpCode(204)
  @Authenticated({ permission: Permission.KeyManage, reauth: true })
  @ApiOperation({ summary: 'Sets or releases a legal hold (held recordings are never deleted by retention)' })
  async legalHold(@Param('id', ParseUUIDPipe) id: string, @Body() body: LegalHoldDto): Promise<void> {
    await this.retention.setLegalHold(id, body.hold);
  }

  @Delete(':id')
  @HttpCode(204)
  @Authenticated({ permission: Permission.PrivacyRequestManage, reauth: true })
  @ApiOperation({ summary: 'Erases a recording (data-subject request): its data key is destroyed, then its file' })
  async erase(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    await this.retention.erase(id);
  }

  @Get(':id/audio')
  @Authenticated({ permission: Permission.RecordingPlay })
  @ApiProduces('audio/wav')
  @ApiOperation({ summary: 'Streams the WAV (Range requests for seeking); every request is audited' })
  async play(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('range') range: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await send(res, await this.playback.open(principal, id, range, 'play'), `inline; filename="recording-${id}.wav"`);
  }

  @Post(':id/playback-ticket')
  @HttpCode(201)
  @Authenticated({ permission: Permission.RecordingPlay })
  @ApiOperation({ summary: 'A ticket (≤ 60 s, this user and recording) for /playback, which a browser <audio> element can use; audited' })
  async playbackTicket(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<PlaybackTicketResponseDto> {
    const issued = await this.tickets.issue(principal, id);
    return { ticket: issued.ticket, expiresAt: issued.expiresAt.toISOString(), url: `recordings/${id}/playback?ticket=${issued.ticket}` };
  }

  @Get(':id/playback')
  @Public('the playback ticket is the credential: the handler checks it, its session and the access rules, and audits every request')
  @ApiQuery({ name: 'ticket', required: true })
  @ApiProduces('audio/wav')
  @ApiOperation({ summary: 'The WAV, as /audio, authorised by a playback ticket instead of a bearer token' })
  async playWithTicket(
    @Param('id', ParseUUIDPipe) id: string,
    @Query('ticket') ticket: string | undefined,
    @Headers('range') range: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    const principal = await this.tickets.redeem(ticket, id);
    await send(res, await this.playback.open(principal, id, range, 'play'), `inline; filename="recording-${id}.wav"`);
  }

  @Get(':id/download')
  @Authenticated({ permission: Permission.RecordingDownload })
  @ApiProduces('audio/wav')
  @ApiOperation({ summary: 'The WAV as a file to save; audited as a download' })
  async download(
    @CurrentPrincipal() principal: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Headers('range') range: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    await send(res, await this.playback.open(principal, id, range, 'download'), `attachment; filename="recording-${id}.wav"`);
  }
}

async function send(res: Response, playback: Playback, disposition: string): Promise<void> {
  res.setHeader('Accept-Ranges', 'bytes');
  if (playback.kind === 'unsatisfiable') {
    res.setHeader('Content-Range', `bytes */${playback.totalBytes}`);
    throw new HttpException('Range not satisfiable', 416);
  }
  res.status(playback.partial ? 206 : 200);
  res.setHeader('Content-Type', 'audio/wav');
  res.setHeader('Content-Length', String(playback.end - playback.start + 1));
  res.setHeader('Content-Disposition', disposition);
  if (playback.partial) res.setHeader('Content-Range', `bytes ${playback.start}-${playback.end}/${playback.totalBytes}`);
  try {
    await pipeline(playback.body, res);
  } catch {
    // Headers are gone: the only honest signal left is a broken transfer, never a "complete" file.
    res.destroy();
  }
}
