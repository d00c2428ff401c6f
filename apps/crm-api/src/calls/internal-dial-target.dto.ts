import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsUUID, Matches } from 'class-validator';
import { DialTargetRefusal } from './internal-dial-target.service';

export class DialTargetRequestDto {
  @ApiProperty() @IsUUID() leadId!: string;
  @ApiProperty() @IsUUID() campaignId!: string;

  @ApiProperty({ description: 'The dialer’s id of the call about to be placed (audited with the answer)' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/)
  callId!: string;
}

export class DialTargetResponseDto {
  @ApiProperty() allowed!: boolean;
  @ApiPropertyOptional({ description: 'E.164; only when allowed' }) number?: string;
  @ApiPropertyOptional({ enum: ['dnc', 'no_consent', 'erased', 'not_found'] }) reason?: DialTargetRefusal;
}
