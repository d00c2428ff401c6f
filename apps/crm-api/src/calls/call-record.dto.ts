import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { CALL_OUTCOMES, CallOutcome } from './call-record.types';

const ISO = { strict: true, strictSeparator: true };

/** One CDR from the dialer. Times are ISO 8601 instants; everything else is an id or a code. */
export class CallRecordWriteDto {
  @ApiProperty({ description: 'The dialer’s own id of the call; a retry of the same CDR carries the same id' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/)
  callId!: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID() leadId?: string;
  @ApiProperty() @IsUUID() campaignId!: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() agentId?: string;

  @ApiProperty() @IsISO8601(ISO) startedAt!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601(ISO) ringAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601(ISO) answeredAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601(ISO) bridgedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601(ISO) endedAt?: string;

  @ApiProperty({ enum: CALL_OUTCOMES }) @IsIn(CALL_OUTCOMES) outcome!: CallOutcome;

  @ApiPropertyOptional({ example: 486 }) @IsOptional() @IsInt() @Min(100) @Max(699) sipStatus?: number;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/) trunk?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() recordingId?: string;
}

export class CallRecordListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ description: 'Ignored for agents: they only ever see their own' }) @IsOptional() @IsUUID() agentId?: string;
  @ApiPropertyOptional({ description: 'Started at or after' }) @IsOptional() @IsISO8601(ISO) from?: string;
  @ApiPropertyOptional({ description: 'Started before' }) @IsOptional() @IsISO8601(ISO) to?: string;
  @ApiPropertyOptional({ enum: CALL_OUTCOMES }) @IsOptional() @IsIn(CALL_OUTCOMES) outcome?: CallOutcome;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
