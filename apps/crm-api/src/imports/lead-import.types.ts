export type LeadImportStatus = 'running' | 'completed' | 'failed' | 'rolled_back';

export type ImportIssueKind = 'rejected' | 'duplicate' | 'dnc';

/** One reported row. The reason names the problem and the column, never the value. */
export interface ImportIssue {
  line: number;
  kind: ImportIssueKind;
  reason: string;
}

export interface ImportCounts {
  rowsDone: number;
  accepted: number;
  rejected: number;
  duplicates: number;
  duplicatesInFile: number;
  dncExcluded: number;
}

export interface LeadImport extends ImportCounts {
  id: string;
  listId: string;
  campaignId: string;
  status: LeadImportStatus;
  error: string | null;
  bytesTotal: number | null;
  bytesDone: number;
  createdBy: string | null;
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt: Date | null;
}

export interface LeadList {
  id: string;
  campaignId: string;
  name: string;
  defaultRegion: string;
  createdBy: string | null;
  createdAt: Date;
}

/** What an import answers and what GET /imports/:id shows. */
export interface ImportReport {
  id: string;
  listId: string;
  campaignId: string;
  status: LeadImportStatus;
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
  startedAt: Date;
  finishedAt: Date | null;
}

export function toReport(i: LeadImport): ImportReport {
  return {
    id: i.id,
    listId: i.listId,
    campaignId: i.campaignId,
    status: i.status,
    error: i.error,
    bytesTotal: i.bytesTotal,
    bytesDone: i.bytesDone,
    rowsDone: i.rowsDone,
    accepted: i.accepted,
    rejected: i.rejected,
    duplicates: i.duplicates,
    duplicatesInFile: i.duplicatesInFile,
    duplicatesExisting: i.duplicates - i.duplicatesInFile,
    dncExcluded: i.dncExcluded,
    startedAt: i.startedAt,
    finishedAt: i.finishedAt,
  };
}
