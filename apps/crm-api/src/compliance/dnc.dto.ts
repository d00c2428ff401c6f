import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DNC_REMOVAL_REASONS, DncRemovalReason } from './dnc.service';

const REGION = /^[A-Za-z]{2}$/;

export class DncAddDto {
  @ApiProperty({ example: '+447700900123' }) @IsString() @Length(1, 40) phone!: string;
  @ApiPropertyOptional({ example: 'GB', description: 'needed when the number is not in international form' })
  @IsOptional()
  @Matches(REGION, { message: 'region must be a two-letter country code' })
  region?: string | null;
  @ApiPropertyOptional({ description: 'absent or null: the global list' }) @IsOptional() @IsUUID() campaignId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) reason?: string | null;
}

export class DncRemoveDto {
  @ApiProperty() @IsString() @Length(1, 40) phone!: string;
  @ApiPropertyOptional() @IsOptional() @Matches(REGION, { message: 'region must be a two-letter country code' }) region?: string | null;
  @ApiPropertyOptional({ description: 'absent or null: the global list' }) @IsOptional() @IsUUID() campaignId?: string | null;
  @ApiPropertyOptional({ enum: DNC_REMOVAL_REASONS, description: 'required when removing from the global list' })
  @ValidateIf((o: DncRemoveDto) => !o.campaignId || o.reason != null)
  @IsIn(DNC_REMOVAL_REASONS)
  reason?: DncRemovalReason;
}

export class DncListQueryDto {
  @ApiPropertyOptional({ description: 'absent: the global list' }) @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10_000_000) offset?: number;
}

export class DncBulkQueryDto {
  @ApiPropertyOptional({ description: 'absent: the global list' }) @IsOptional() @IsUUID() campaignId?: string;
  @ApiPropertyOptional({ example: 'GB' }) @IsOptional() @Matches(REGION, { message: 'region must be a two-letter country code' }) region?: string;
}
