import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { WEEKDAYS, Weekday } from './campaign.types';

export class CallingWindowDto {
  @ApiProperty({ example: 9 })
  @IsInt()
  @Min(0)
  @Max(23)
  startHour!: number;

  @ApiProperty({ example: 20, description: 'exclusive' })
  @IsInt()
  @Min(1)
  @Max(24)
  endHour!: number;

  @ApiProperty({ example: ['mon', 'tue', 'wed', 'thu', 'fri'] })
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(WEEKDAYS, { each: true })
  days!: Weekday[];

  @ApiProperty({ example: ['2026-12-25'] })
  @ArrayMaxSize(366)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true, message: 'holidays must be dates as YYYY-MM-DD' })
  holidays!: string[];
}

export class RetryDelaysDto {
  @ApiProperty({ description: 'minutes' }) @IsInt() @Min(1) @Max(100_000) busy!: number;
  @ApiProperty({ description: 'minutes' }) @IsInt() @Min(1) @Max(100_000) noAnswer!: number;
  @ApiProperty({ description: 'minutes' }) @IsInt() @Min(1) @Max(100_000) machine!: number;
  @ApiProperty({ description: 'minutes' }) @IsInt() @Min(1) @Max(100_000) failed!: number;
}

export class DispositionDto {
  @ApiProperty() @Matches(/^[a-z][a-z0-9_]{0,31}$/) code!: string;
  @ApiProperty() @IsString() @Length(1, 64) label!: string;
  @ApiProperty({ enum: ['contact', 'conversion', 'no_contact', 'callback', 'do_not_call', 'wrong_number'] })
  @IsIn(['contact', 'conversion', 'no_contact', 'callback', 'do_not_call', 'wrong_number'])
  kind!: 'contact' | 'conversion' | 'no_contact' | 'callback' | 'do_not_call' | 'wrong_number';
  @ApiProperty() @IsBoolean() final!: boolean;
}

export class CampaignCreateDto {
  @ApiProperty() @IsString() @Length(1, 128) name!: string;

  @ApiProperty({ enum: ['preview', 'progressive', 'predictive'] })
  @IsIn(['preview', 'progressive', 'predictive'])
  dialMode!: 'preview' | 'progressive' | 'predictive';

  @ApiProperty({ example: ['+442071838750'] })
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^\+[1-9]\d{6,14}$/, { each: true, message: 'callerIds must be E.164 numbers' })
  callerIds!: string[];

  @ApiProperty({ type: CallingWindowDto }) @ValidateNested() @Type(() => CallingWindowDto) window!: CallingWindowDto;

  @ApiProperty({ example: 'Europe/London' }) @IsString() @Length(1, 64) defaultTimezone!: string;

  @ApiProperty() @IsInt() @Min(1) @Max(50) maxAttempts!: number;

  @ApiProperty({ type: RetryDelaysDto }) @ValidateNested() @Type(() => RetryDelaysDto) retryDelays!: RetryDelaysDto;

  @ApiPropertyOptional({ type: [DispositionDto] })
  @IsOptional()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => DispositionDto)
  dispositions?: DispositionDto[];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20_000) script?: string;

  @ApiPropertyOptional({ enum: ['all', 'none', 'on_demand'] })
  @IsOptional()
  @IsIn(['all', 'none', 'on_demand'])
  recordingPolicy?: 'all' | 'none' | 'on_demand';

  @ApiPropertyOptional() @IsOptional() @IsBoolean() agentPlaybackAllowed?: boolean;

  @ApiPropertyOptional({ default: 0.03, maximum: 0.03 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(0.03)
  maxAbandonRate?: number;

  @ApiProperty() @IsInt() @Min(1) @Max(3650) recordingRetentionDays!: number;
  @ApiProperty() @IsInt() @Min(1) @Max(3650) leadRetentionDays!: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() consentRequired?: boolean;
}

export class CampaignUpdateDto extends PartialType(CampaignCreateDto) {}

export class CampaignStatusDto {
  @ApiProperty({ enum: ['active', 'paused', 'finished'] })
  @IsIn(['active', 'paused', 'finished'])
  status!: 'active' | 'paused' | 'finished';
}

export class CampaignAgentsDto {
  @ApiProperty({ description: 'user ids of agents; replaces the campaign’s agent list' })
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  agentIds!: string[];
}
