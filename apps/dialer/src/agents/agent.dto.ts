import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { AGENT_CHOSEN_STATES, AgentChosenState } from './agent-state.types';

export class AgentStateUpdateDto {
  @ApiProperty({ enum: AGENT_CHOSEN_STATES }) @IsIn(AGENT_CHOSEN_STATES) state!: AgentChosenState;

  @ApiPropertyOptional({ description: 'Required for ready: the assigned campaign to take calls for' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiPropertyOptional({ description: 'Required for paused: a short reason code such as break, training, meeting' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_-]{0,63}$/)
  pauseReason?: string;
}
