import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface Criterion {
  key: string;
  label: string;
  weight: number;
  maxPoints: number;
}

export interface ScorecardTemplate {
  id: string;
  name: string;
  criteria: Criterion[];
  createdBy: string;
  createdAt: Date;
}

export interface Answer {
  key: string;
  points: number;
}

/** A remark about a moment of the recording, in milliseconds from its start. */
export interface TimedComment {
  atMs: number;
  text: string;
}

export interface QaScore {
  id: string;
  recordingId: string;
  templateId: string;
  scorerUserId: string;
  agentUserId: string;
  campaignId: string;
  total: number;
  answers: Answer[];
  comments: TimedComment[];
  createdAt: Date;
}

export interface ScoreSummary {
  key: string;
  scores: number;
  average: number;
}

/** Which scores a person may summarise: all (QA) or those of the campaigns they manage. */
export type ScoreScope = { kind: 'all' } | { kind: 'managed_campaigns'; userId: string };

export abstract class QaRepository {
  abstract createTemplate(template: Omit<ScorecardTemplate, 'createdAt'>): Promise<void>;
  abstract findTemplate(id: string): Promise<ScorecardTemplate | null>;
  abstract listTemplates(): Promise<ScorecardTemplate[]>;
  abstract createScore(score: Omit<QaScore, 'createdAt'>): Promise<void>;
  abstract scoresOf(recordingId: string): Promise<QaScore[]>;
  abstract summarise(scope: ScoreScope, by: 'agent' | 'campaign', campaignId?: string): Promise<ScoreSummary[]>;
}

@Injectable()
export class TypeormQaRepository extends QaRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async createTemplate(t: Omit<ScorecardTemplate, 'createdAt'>): Promise<void> {
    await this.db.query('INSERT INTO qa_scorecard_templates (id, name, criteria, created_by) VALUES (?, ?, ?, ?)', [
      t.id,
      t.name,
      JSON.stringify(t.criteria),
      t.createdBy,
    ]);
  }

  async findTemplate(id: string): Promise<ScorecardTemplate | null> {
    const rows: TemplateRow[] = await this.db.query('SELECT * FROM qa_scorecard_templates WHERE id = ?', [id]);
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async listTemplates(): Promise<ScorecardTemplate[]> {
    const rows: TemplateRow[] = await this.db.query('SELECT * FROM qa_scorecard_templates ORDER BY created_at, id');
    return rows.map(toTemplate);
  }

  async createScore(s: Omit<QaScore, 'createdAt'>): Promise<void> {
    await this.db.query(
      `INSERT INTO qa_scores (id, recording_id, template_id, scorer_user_id, agent_user_id, campaign_id, total, answers, comments)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [s.id, s.recordingId, s.templateId, s.scorerUserId, s.agentUserId, s.campaignId, s.total, JSON.stringify(s.answers), JSON.stringify(s.comments)],
    );
  }

  async scoresOf(recordingId: string): Promise<QaScore[]> {
    const rows: ScoreRow[] = await this.db.query('SELECT * FROM qa_scores WHERE recording_id = ? ORDER BY created_at, id', [recordingId]);
    return rows.map((r) => ({
      id: r.id,
      recordingId: r.recording_id,
      templateId: r.template_id,
      scorerUserId: r.scorer_user_id,
      agentUserId: r.agent_user_id,
      campaignId: r.campaign_id,
      total: Number(r.total),
      answers: JSON.parse(r.answers) as Answer[],
      comments: JSON.parse(r.comments) as TimedComment[],
      createdAt: r.created_at,
    }));
  }

  async summarise(scope: ScoreScope, by: 'agent' | 'campaign', campaignId?: string): Promise<ScoreSummary[]> {
    const column = by === 'agent' ? 's.agent_user_id' : 's.campaign_id';
    const params: unknown[] = [];
    let join = '';
    const where: string[] = ['1=1'];
    if (scope.kind === 'managed_campaigns') {
      join = `JOIN campaign_members m ON m.campaign_id = s.campaign_id AND m.user_id = ? AND m.member_role = 'manager'`;
      params.push(scope.userId);
    }
    if (campaignId) {
      where.push('s.campaign_id = ?');
      params.push(campaignId);
    }
    const rows: Array<{ k: string; n: string; avg: string }> = await this.db.query(
      `SELECT ${column} AS k, COUNT(*) AS n, AVG(s.total) AS avg FROM qa_scores s ${join}
        WHERE ${where.join(' AND ')} GROUP BY ${column} ORDER BY ${column}`,
      params,
    );
    return rows.map((r) => ({ key: r.k, scores: Number(r.n), average: Math.round(Number(r.avg) * 100) / 100 }));
  }
}

interface TemplateRow {
  id: string;
  name: string;
  criteria: string;
  created_by: string;
  created_at: Date;
}

interface ScoreRow {
  id: string;
  recording_id: string;
  template_id: string;
  scorer_user_id: string;
  agent_user_id: string;
  campaign_id: string;
  total: string;
  answers: string;
  comments: string;
  created_at: Date;
}

function toTemplate(r: TemplateRow): ScorecardTemplate {
  return { id: r.id, name: r.name, criteria: JSON.parse(r.criteria) as Criterion[], createdBy: r.created_by, createdAt: r.created_at };
}
