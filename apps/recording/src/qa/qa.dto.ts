import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateNested } from 'class-validator';

export class CriterionDto {
  @ApiProperty({ example: 'greeting' })
  @Matches(/^[a-z][a-z0-9_]{0,31}$/)
  key!: string;

  @ApiProperty()
  @IsString()
  @Length(1, 128)
  label!: string;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  weight!: number;

  @ApiProperty({ minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  maxPoints!: number;
}

export class ScorecardTemplateCreateDto {
  @ApiProperty()
  @IsString()
  @Length(1, 128)
  name!: string;

  @ApiProperty({ type: [CriterionDto] })
  @ValidateNested({ each: true })
  @Type(() => CriterionDto)
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  criteria!: CriterionDto[];
}

export class AnswerDto {
  @ApiProperty()
  @Matches(/^[a-z][a-z0-9_]{0,31}$/)
  key!: string;

  @ApiProperty()
  @IsNumber()
  @Min(0)
  points!: number;
}

export class TimedCommentDto {
  @ApiProperty({ description: 'Milliseconds from the start of the recording' })
  @IsInt()
  @Min(0)
  atMs!: number;

  @ApiProperty()
  @IsString()
  @Length(1, 2000)
  text!: string;
}

export class ScoreCreateDto {
  @ApiProperty()
  @IsUUID()
  templateId!: string;

  @ApiProperty({ type: [AnswerDto] })
  @ValidateNested({ each: true })
  @Type(() => AnswerDto)
  @ArrayMaxSize(50)
  answers!: AnswerDto[];

  @ApiProperty({ type: [TimedCommentDto] })
  @ValidateNested({ each: true })
  @Type(() => TimedCommentDto)
  @ArrayMaxSize(200)
  comments!: TimedCommentDto[];
}

export class ScoreSummaryQueryDto {
  @ApiProperty({ enum: ['agent', 'campaign'] })
  @IsIn(['agent', 'campaign'])
  by!: 'agent' | 'campaign';

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  campaignId?: string;
}
