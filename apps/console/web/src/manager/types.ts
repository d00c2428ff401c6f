export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface Disposition {
  code: string;
  label: string;
  kind: 'contact' | 'conversion' | 'no_contact' | 'callback' | 'do_not_call' | 'wrong_number';
  final: boolean;
}

export interface Campaign {
  id: string;
  name: string;
  status: 'draft' | 'active' | 'paused' | 'finished';
  dialMode: 'preview' | 'progressive' | 'predictive';
  callerIds: string[];
  window: { startHour: number; endHour: number; days: Weekday[]; holidays: string[] };
  defaultTimezone: string;
  maxAttempts: number;
  retryDelays: { busy: number; noAnswer: number; machine: number; failed: number };
  dispositions: Disposition[];
  script: string;
  recordingRetentionDays: number;
  leadRetentionDays: number;
}

export interface LeadList {
  id: string;
  name: string;
  defaultRegion: string;
}

export interface ImportReport {
  id: string;
  status: 'running' | 'completed' | 'failed' | 'rolled_back';
  error: string | null;
  bytesTotal: number | null;
  bytesDone: number;
  rowsDone: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  duplicatesInFile: number;
  duplicatesExisting: number;
  dncExcluded: number;
}

export interface ImportIssue {
  line: number;
  kind: 'rejected' | 'duplicate' | 'dnc';
  reason: string;
}
