import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
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
import { PrivacyRequestKind } from './privacy.repository';

const KINDS: readonly PrivacyRequestKind[] = ['export', 'rectify', 'erase'];

export class PrivacySearchDto {
  @ApiPropertyOptional({ example: '+447700900123' }) @IsOptional() @IsString() @Length(1, 40) phone?: string | null;
  @ApiPropertyOptional({ example: 'GB' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'region must be a two-letter country code' })
  region?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
}

/** What may be corrected. `phone` is accepted here only so the answer can say why it cannot be. */
export class RectifyFieldsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) firstName?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) lastName?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) address?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) nationalId?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(4000) notes?: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  custom?: Record<string, string> | null;
  @ApiPropertyOptional({ description: 'refused: the phone number identifies the person and cannot be rectified' })
  @IsOptional()
  phone?: unknown;
}

export class PrivacyRequestCreateDto {
  @ApiProperty({ enum: KINDS }) @IsIn(KINDS) kind!: PrivacyRequestKind;
  @ApiProperty() @IsUUID() subjectId!: string;
  @ApiPropertyOptional({ description: 'the request’s reference in your ticketing system' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  reference?: string | null;
  @ApiPropertyOptional({ type: RectifyFieldsDto, description: 'rectify only' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RectifyFieldsDto)
  fields?: RectifyFieldsDto;
}

export class PrivacyRequestListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() subjectId?: string;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}
