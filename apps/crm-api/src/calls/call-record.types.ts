import { CallOutcome } from '@app/domain';

export { CALL_OUTCOMES } from '@app/domain';
export type { CallOutcome } from '@app/domain';

/** One call detail record as the dialer sends it. Ids and times only: no personal data. */
export interface CallRecordInput {
  callId: string;
  leadId: string | null;
  campaignId: string;
  agentId: string | null;
  startedAt: Date;
  ringAt: Date | null;
  answeredAt: Date | null;
  bridgedAt: Date | null;
  endedAt: Date | null;
  outcome: CallOutcome;
  sipStatus: number | null;
  trunk: string | null;
  recordingId: string | null;
}

export interface CallRecord extends CallRecordInput {
  id: string;
  dispositionCode: string | null;
  createdAt: Date;
}

/** Which call records a reader may see at all; filters narrow it further, never widen it. */
export type CallRecordScope = { kind: 'all' } | { kind: 'agent'; agentId: string } | { kind: 'manager'; managerId: string };

export interface CallRecordFilter {
  campaignId?: string;
  agentId?: string;
  from?: Date;
  to?: Date;
  outcome?: CallOutcome;
  limit: number;
  offset: number;
}

export type CallRecordUpsertResult =
  | { status: 'inserted'; id: string }
  | { status: 'updated'; id: string }
  /** The call id is already taken by a record of another campaign, lead, agent or start time. */
  | { status: 'conflict' };
