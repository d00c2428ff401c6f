import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

export class AuditListQueryDto {
  @ApiPropertyOptional({ default: 100, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'Entries before this sequence number (paging backwards)' })
  @IsOptional()
  @Matches(/^\d{1,19}$/)
  beforeSeq?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_.-]{1,63}$/)
  action?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  actorId?: string;
}
