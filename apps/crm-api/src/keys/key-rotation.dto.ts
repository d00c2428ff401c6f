import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class KeyRewrapStartDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 500, description: 'Records per batch' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  batchSize?: number;
}
