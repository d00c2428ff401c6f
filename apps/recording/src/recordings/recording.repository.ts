import { KmsCiphertext } from '@app/crypto';

export type RecordingStatus = 'pending' | 'committed' | 'unsupported_codec' | 'failed' | 'deleted';

/** A gap in the audio, in milliseconds from the start of the recording. */
export interface PauseSpan {
  startMs: number;
  endMs: number;
}

export interface RecordingRecord {
  id: string;
  callId: string;
  campaignId: string;
  agentUserId: string;
  status: RecordingStatus;
  codec: string | null;
  startedAt: Date | null;
  durationMs: number;
  sampleRate: number;
  channels: number;
  plaintextBytes: number;
  plaintextSha256: Buffer | null;
  segmentBytes: number;
  segmentCount: number;
  wrappedKey: KmsCiphertext | null;
  pauses: PauseSpan[];
  legalHold: boolean;
  failureReason: string | null;
  createdAt: Date;
  deletedAt: Date | null;
}

export type NewRecording = Omit<RecordingRecord, 'createdAt' | 'deletedAt' | 'legalHold'>;

/** Which recordings a person may list: everything (QA), their managed campaigns, or their own calls. */
export type RecordingScope = { kind: 'all' } | { kind: 'managed_campaigns'; userId: string } | { kind: 'own_calls'; userId: string };

export interface RecordingSearch {
  campaignId?: string;
  agentUserId?: string;
  /** Started at or after / before. */
  from?: Date;
  to?: Date;
  minDurationMs?: number;
  maxDurationMs?: number;
  limit: number;
}

export interface WrappedKeyRow {
  id: string;
  wrappedKey: KmsCiphertext;
}

export abstract class RecordingRepository {
  abstract findById(id: string): Promise<RecordingRecord | null>;
  abstract findByCallId(callId: string): Promise<RecordingRecord | null>;
  /** False when the call already has a recording (another ingest won). */
  abstract insert(recording: NewRecording): Promise<boolean>;
  abstract search(scope: RecordingScope, search: RecordingSearch): Promise<RecordingRecord[]>;
  /** Of these ids, those whose row still has a data key (a file of any other id is garbage). */
  abstract keyedIds(ids: readonly string[]): Promise<Set<string>>;
  /** Past their campaign's retention, not under legal hold, not yet deleted. */
  abstract findExpired(now: Date, limit: number): Promise<string[]>;
  /**
   * Destroys the data key (crypto-erasure: every copy of the file, backups included, becomes
   * unreadable) and marks the row deleted. False when it is under legal hold or already deleted.
   */
  abstract destroy(id: string, now: Date): Promise<boolean>;
  abstract setLegalHold(id: string, hold: boolean): Promise<boolean>;
  /** Committed recordings whose data key is wrapped under an older version than `activeVersion`. */
  abstract findWrappedBelow(keyId: string, activeVersion: number, limit: number): Promise<WrappedKeyRow[]>;
  /** Compare-and-set on the old version, so a concurrent rewrap or erasure is never overwritten. */
  abstract replaceWrappedKey(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean>;
  abstract countWrappedUnder(keyId: string, version: number): Promise<number>;
}
