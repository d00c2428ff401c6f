import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditService } from '@app/audit';
import { AccessService, Permission, Principal } from '@app/auth';
import { Role } from '@app/domain';
import { RecordingException, RecordingExceptionCode } from '../recording.exception';
import { RecordingRepository } from '../recordings/recording.repository';
import { QaException, QaExceptionCode } from './qa.exception';
import { QaScore, QaRepository, ScorecardTemplate, ScoreScope, ScoreSummary } from './qa.repository';
import { ScoreCreateDto, ScorecardTemplateCreateDto } from './qa.dto';
import { answersProblem, weightedTotal } from './qa-scoring';

/** QA inspectors define scorecards and score recordings; managers read scores of their campaigns. */
@Injectable()
export class QaService {
  constructor(
    private readonly access: AccessService,
    private readonly qa: QaRepository,
    private readonly recordings: RecordingRepository,
    private readonly audit: AuditService,
  ) {}

  async createTemplate(principal: Principal, dto: ScorecardTemplateCreateDto): Promise<ScorecardTemplate> {
    if (new Set(dto.criteria.map((c) => c.key)).size !== dto.criteria.length) throw new QaException(QaExceptionCode.DuplicateCriterion);
    const id = randomUUID();
    await this.qa.createTemplate({ id, name: dto.name, criteria: dto.criteria, createdBy: userIdOf(principal) });
    await this.audit.record({ action: 'qa.scorecard_create', outcome: 'success', targetType: 'qa_scorecard', targetId: id });
    return (await this.qa.findTemplate(id))!;
  }

  listTemplates(): Promise<ScorecardTemplate[]> {
    return this.qa.listTemplates();
  }

  async score(principal: Principal, recordingId: string, dto: ScoreCreateDto): Promise<QaScore> {
    await this.access.requireAccess(principal, Permission.QaScorecardManage, recordingId);
    const recording = await this.recordings.findById(recordingId);
    if (!recording) throw new RecordingException(RecordingExceptionCode.NotFound);
    const template = await this.qa.findTemplate(dto.templateId);
    if (!template) throw new QaException(QaExceptionCode.TemplateNotFound);
    const problem = answersProblem(template.criteria, dto.answers);
    if (problem) throw new QaException(QaExceptionCode.InvalidAnswers, problem);
    if (dto.comments.some((c) => c.atMs > recording.durationMs)) throw new QaException(QaExceptionCode.CommentOutsideRecording);
    const id = randomUUID();
    await this.qa.createScore({
      id,
      recordingId,
      templateId: template.id,
      scorerUserId: userIdOf(principal),
      agentUserId: recording.agentUserId,
      campaignId: recording.campaignId,
      total: weightedTotal(template.criteria, dto.answers),
      answers: dto.answers.map((a) => ({ key: a.key, points: a.points })),
      comments: dto.comments.map((c) => ({ atMs: c.atMs, text: c.text })),
    });
    await this.audit.record({ action: 'qa.score', outcome: 'success', targetType: 'recording', targetId: recordingId, details: { scoreId: id } });
    return (await this.qa.scoresOf(recordingId)).find((s) => s.id === id)!;
  }

  async scoresOf(principal: Principal, recordingId: string): Promise<QaScore[]> {
    await this.access.requireAccess(principal, Permission.QaScoreRead, recordingId);
    return this.qa.scoresOf(recordingId);
  }

  summarise(principal: Principal, by: 'agent' | 'campaign', campaignId?: string): Promise<ScoreSummary[]> {
    const scope: ScoreScope | null =
      principal.kind !== 'user'
        ? null
        : principal.role === Role.Qa
          ? { kind: 'all' }
          : principal.role === Role.Manager
            ? { kind: 'managed_campaigns', userId: principal.userId }
            : null;
    return scope ? this.qa.summarise(scope, by, campaignId) : Promise.resolve([]);
  }
}

function userIdOf(principal: Principal): string {
  if (principal.kind !== 'user') throw new QaException(QaExceptionCode.UsersOnly);
  return principal.userId;
}
