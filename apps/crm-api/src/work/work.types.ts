import { LeadStatus } from '../leads/lead.types';

export type CallbackScope = 'mine' | 'campaign';
export type CallbackStatus = 'pending' | 'done' | 'cancelled';

export interface Callback {
  id: string;
  leadId: string;
  campaignId: string;
  /** null: open to every agent of the campaign. */
  agentId: string | null;
  dueAt: Date;
  status: CallbackStatus;
  createdBy: string | null;
  createdAt: Date;
}

/** What an agent's callback list shows: when and which lead, nothing about the person. */
export interface CallbackSummary {
  id: string;
  leadId: string;
  campaignId: string;
  dueAt: Date;
  scope: CallbackScope;
}

export interface NoteRecord {
  id: string;
  leadId: string;
  authorId: string;
  bodyCiphertext: Buffer;
  createdAt: Date;
}

export interface Note {
  id: string;
  authorId: string;
  body: string;
  createdAt: Date;
}

/** Everything a disposition changes, applied at once. */
export interface DispositionWrite {
  leadId: string;
  agentId: string;
  code: string;
  /** The lead as it was when access was checked: a lead changed since (another disposition) is not touched. */
  expected: { status: LeadStatus; assignedAgentId: string | null };
  next: { status: LeadStatus; nextAttemptAt: Date | null };
  callback: { id: string; campaignId: string; agentId: string | null; dueAt: Date } | null;
}

export interface DispositionApplied {
  applied: boolean;
  /** The call record the code was written on, if the agent had one without a disposition. */
  callRecordId: string | null;
}
