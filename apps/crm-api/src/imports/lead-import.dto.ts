import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO31661Alpha2, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class LeadListCreateDto {
  @ApiProperty() @IsString() @Length(1, 128) name!: string;
  @ApiProperty({ description: 'ISO 3166-1 alpha-2: the region of numbers written without a country code' })
  @IsISO31661Alpha2()
  defaultRegion!: string;
}

export class LeadImportQueryDto {
  @ApiPropertyOptional({ description: 'JSON object: CSV header → field (first_name … consent_evidence), "custom" or "ignore"' })
  @IsOptional()
  @IsString()
  @Length(0, 4000)
  mapping?: string;
}

export class ImportIssuesQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
}
