import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
import { PauseSpan, RecordingRecord, RecordingStatus } from './recording.repository';

export class RecordingSearchQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  agentUserId?: string;

  @ApiPropertyOptional({ description: 'Calls started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Calls started before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true })
  to?: string;

  @ApiPropertyOptional({ description: 'At least this long (seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  minDurationSeconds?: number;

  @ApiPropertyOptional({ description: 'At most this long (seconds)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(86_400)
  maxDurationSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class PlaybackTicketResponseDto {
  @ApiProperty({ description: 'Opaque; valid for one minute, for this user and this recording' }) ticket!: string;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ description: 'Path of the audio, relative to the recording service' }) url!: string;
}

/** Metadata only: who, when, which campaign, how long. Never audio, never key material. */
export class RecordingResponseDto {
  @ApiProperty() id!: string;
  @ApiProperty() callId!: string;
  @ApiProperty() campaignId!: string;
  @ApiProperty() agentUserId!: string;
  @ApiProperty({ enum: ['pending', 'committed', 'unsupported_codec', 'failed', 'deleted'] }) status!: RecordingStatus;
  @ApiPropertyOptional({ nullable: true }) codec!: string | null;
  @ApiPropertyOptional({ nullable: true }) startedAt!: Date | null;
  @ApiProperty() durationMs!: number;
  @ApiProperty() sampleRate!: number;
  @ApiProperty() channels!: number;
  @ApiProperty({ description: 'Size of the plaintext WAV that /audio serves' }) sizeBytes!: number;
  @ApiProperty({ description: 'Gaps (PCI pauses) in milliseconds from the start' }) pauses!: PauseSpan[];
  @ApiProperty() legalHold!: boolean;
  @ApiProperty() createdAt!: Date;

  static from(r: RecordingRecord): RecordingResponseDto {
    return {
      id: r.id,
      callId: r.callId,
      campaignId: r.campaignId,
      agentUserId: r.agentUserId,
      status: r.status,
      codec: r.codec,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      sampleRate: r.sampleRate,
      channels: r.channels,
      sizeBytes: r.plaintextBytes,
      pauses: r.pauses,
      legalHold: r.legalHold,
      createdAt: r.createdAt,
    };
  }
}

const CALL_ID = /^[\x21-\x7e]{1,128}$/;
const ENDPOINT = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):\d{1,5}$/;

/**
 * The dialer registers each recorded call (before or while rtpengine records it), saying whose
 * call it is and which media leg is the customer's: its RTP SSRC, or the address it sends from.
 */
export class RecordedCallCreateDto {
  @ApiProperty({ description: 'rtpengine call-id (printable ASCII, up to 128)' })
  @Matches(CALL_ID)
  callId!: string;

  @ApiProperty()
  @IsUUID()
  campaignId!: string;

  @ApiProperty()
  @IsUUID()
  agentUserId!: string;

  @ApiPropertyOptional({ description: "SSRC of the customer's RTP stream" })
  @ValidateIf((o: RecordedCallCreateDto) => o.customerSsrc !== undefined || o.customerAddress === undefined)
  @IsInt()
  @Min(0)
  @Max(0xffffffff)
  customerSsrc?: number;

  @ApiPropertyOptional({ example: '203.0.113.5:40000', description: 'Source ip:port of the customer media, as rtpengine sees it' })
  @ValidateIf((o: RecordedCallCreateDto) => o.customerAddress !== undefined || o.customerSsrc === undefined)
  @Matches(ENDPOINT)
  customerAddress?: string;

  @ApiProperty()
  @IsDateString()
  startedAt!: string;
}

export class LegalHoldDto {
  @ApiProperty({ description: 'true to hold (never deleted by retention), false to release' })
  @IsBoolean()
  hold!: boolean;
}
