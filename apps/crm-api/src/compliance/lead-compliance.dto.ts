import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDate, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ConsentBasis } from '../leads/lead.types';

const BASES: readonly ConsentBasis[] = ['consent', 'contract', 'legitimate_interest', 'legal_obligation'];

export class ConsentDto {
  @ApiProperty({ enum: BASES }) @IsIn(BASES) basis!: ConsentBasis;
  @ApiPropertyOptional({ example: 'web-form' }) @IsOptional() @IsString() @MaxLength(128) source?: string | null;
  @ApiPropertyOptional({ description: 'when consent was given (ISO 8601)' }) @IsOptional() @Type(() => Date) @IsDate() at?: Date | null;
  @ApiPropertyOptional({ description: 'where the evidence is kept, e.g. a document id' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  evidenceRef?: string | null;
}

export class LegalHoldDto {
  @ApiProperty() @IsBoolean() hold!: boolean;
}
