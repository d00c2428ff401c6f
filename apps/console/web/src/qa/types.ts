export interface Recording {
  id: string;
  callId: string;
  campaignId: string;
  agentUserId: string;
  status: string;
  startedAt: string | null;
  durationMs: number;
  pauses: Array<{ startMs: number; endMs: number }>;
  createdAt: string;
}

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
}

export interface QaScore {
  id: string;
  templateId: string;
  scorerUserId: string;
  total: number;
  answers: Array<{ key: string; points: number }>;
  comments: Array<{ atMs: number; text: string }>;
  createdAt: string;
}
