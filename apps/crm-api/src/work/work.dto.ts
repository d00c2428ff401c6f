import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';

export const NOTE_MAX_LENGTH = 4000;

export class CallbackRequestDto {
  @ApiProperty({ description: 'When to call back (ISO 8601 instant, in the future)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  at!: string;

  @ApiProperty({ enum: ['mine', 'campaign'], description: 'mine: only the agent who set it; campaign: any agent of the campaign' })
  @IsIn(['mine', 'campaign'])
  scope!: 'mine' | 'campaign';
}

export class DispositionCreateDto {
  @ApiProperty({ description: 'A code of the lead’s campaign disposition set' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/)
  code!: string;

  @ApiPropertyOptional({ maxLength: NOTE_MAX_LENGTH, description: 'Stored encrypted, as a note on the lead' })
  @IsOptional()
  @IsString()
  @Length(1, NOTE_MAX_LENGTH)
  note?: string;

  @ApiPropertyOptional({ type: CallbackRequestDto, description: 'Required for a disposition of kind callback, refused otherwise' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CallbackRequestDto)
  callback?: CallbackRequestDto;
}

export class NoteCreateDto {
  @ApiProperty({ maxLength: NOTE_MAX_LENGTH })
  @IsString()
  @Length(1, NOTE_MAX_LENGTH)
  body!: string;
}
