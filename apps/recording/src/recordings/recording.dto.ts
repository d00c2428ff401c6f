import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDateString, IsInt, IsOptional, IsUUID, Matches, Max, Min, ValidateIf } from 'class-validator';
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

  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
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
