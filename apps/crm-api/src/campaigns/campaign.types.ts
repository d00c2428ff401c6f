import { CallingWindow } from '@app/domain';

// The calling window is shared with the dialer (it selects leads by it); re-exported so the CRM's
// imports stay where they were.
export type { CallingWindow, Weekday } from '@app/domain';
export { WEEKDAYS } from '@app/domain';

export type CampaignStatus = 'draft' | 'active' | 'paused' | 'finished';
export type DialMode = 'preview' | 'progressive' | 'predictive';
export type RecordingPolicy = 'all' | 'none' | 'on_demand';

/** What a disposition means for the lead: the dialer and reports read the kind, agents see the label. */
export type DispositionKind = 'contact' | 'conversion' | 'no_contact' | 'callback' | 'do_not_call' | 'wrong_number';

export interface Disposition {
  code: string;
  label: string;
  kind: DispositionKind;
  final: boolean;
}

export interface RetryDelays {
  busy: number;
  noAnswer: number;
  machine: number;
  failed: number;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  dialMode: DialMode;
  callerIds: string[];
  window: CallingWindow;
  defaultTimezone: string;
  maxAttempts: number;
  /** Minutes to wait before retrying, per outcome. */
  retryDelays: RetryDelays;
  dispositions: Disposition[];
  script: string;
  recordingPolicy: RecordingPolicy;
  agentPlaybackAllowed: boolean;
  maxAbandonRate: number;
  recordingRetentionDays: number;
  leadRetentionDays: number;
  consentRequired: boolean;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export const DEFAULT_DISPOSITIONS: Disposition[] = [
  { code: 'sale', label: 'Sale', kind: 'conversion', final: true },
  { code: 'interested', label: 'Interested, call back', kind: 'callback', final: false },
  { code: 'not_interested', label: 'Not interested', kind: 'contact', final: true },
  { code: 'no_answer', label: 'No answer', kind: 'no_contact', final: false },
  { code: 'wrong_number', label: 'Wrong number', kind: 'wrong_number', final: true },
  { code: 'dnc', label: 'Do not call', kind: 'do_not_call', final: true },
];
