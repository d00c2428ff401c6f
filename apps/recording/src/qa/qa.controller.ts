import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, Permission, Principal } from '@app/auth';
import { ScoreCreateDto, ScorecardTemplateCreateDto, ScoreSummaryQueryDto } from './qa.dto';
import { QaScore, ScorecardTemplate, ScoreSummary } from './qa.repository';
import { QaService } from './qa.service';

@ApiTags('qa')
@Controller()
export class QaController {
  constructor(private readonly qa: QaService) {}

  @Post('qa/scorecards')
  @Authenticated({ permission: Permission.QaScorecardManage })
  createTemplate(@CurrentPrincipal() principal: Principal, @Body() body: ScorecardTemplateCreateDto): Promise<ScorecardTemplate> {
    return this.qa.createTemplate(principal, body);
  }

  @Get('qa/scorecards')
  @Authenticated({ permission: Permission.QaScorecardManage })
  listTemplates(): Promise<ScorecardTemplate[]> {
    return this.qa.listTemplates();
  }

  @Get('qa/scores/summary')
  @Authenticated({ permission: Permission.QaScoreRead })
  @ApiOperation({ summary: 'Average score and count per agent or per campaign (managers: their campaigns)' })
  summary(@CurrentPrincipal() principal: Principal, @Query() query: ScoreSummaryQueryDto): Promise<ScoreSummary[]> {
    return this.qa.summarise(principal, query.by, query.campaignId);
  }

  @Post('recordings/:id/scores')
  @Authenticated({ permission: Permission.QaScorecardManage })
  @ApiOperation({ summary: 'Scores a recording against a scorecard, with comments at moments of the audio' })
  score(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string, @Body() body: ScoreCreateDto): Promise<QaScore> {
    return this.qa.score(principal, id, body);
  }

  @Get('recordings/:id/scores')
  @Authenticated({ permission: Permission.QaScoreRead })
  scores(@CurrentPrincipal() principal: Principal, @Param('id', ParseUUIDPipe) id: string): Promise<QaScore[]> {
    return this.qa.scoresOf(principal, id);
  }
}
