export type AuditOutcome = 'success' | 'failure' | 'denied';

export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

export type AuditActorType = 'user' | 'service' | 'system' | 'anonymous';

export const AUDIT_ACTOR_TYPES: readonly AuditActorType[] = ['user', 'service', 'system', 'anonymous'];

/** Who did it: an id and a role, never a name, e-mail or phone number. */
export interface AuditActor {
  type: AuditActorType;
  id?: string | null;
  role?: string | null;
}

export type AuditDetailValue = string | number | boolean | null;

/** What a caller records. Actor, source IP and request id default to the current request's. */
export interface AuditEvent {
  /** Dotted lower-case name, e.g. `auth.sign_in` or `lead.export`. */
  action: string;
  outcome: AuditOutcome;
  targetType?: string;
  targetId?: string;
  actor?: AuditActor;
  sourceIp?: string | null;
  requestId?: string | null;
  /**
   * Short scalar facts that explain the entry (a permission, a reason code, a count). Never
   * personal data values (names, phone numbers, addresses, call content) and never secrets: the log
   * is kept for years and read by auditors, so refer to people and records by id only.
   */
  details?: Record<string, AuditDetailValue>;
}

/** An event with every default resolved: exactly what is written and hashed. */
export interface NewAuditEntry {
  occurredAt: Date;
  actor: { type: AuditActorType; id: string | null; role: string | null };
  action: string;
  outcome: AuditOutcome;
  targetType: string | null;
  targetId: string | null;
  sourceIp: string | null;
  requestId: string | null;
  details: Record<string, AuditDetailValue> | null;
}

/** A stored entry. seq and id are strings: BIGINT UNSIGNED does not fit a JS number. */
export interface AuditEntry extends NewAuditEntry {
  id: string;
  seq: string;
  prevHash: string;
  hash: string;
}

export interface AuditListFilter {
  /** 1..500. */
  limit: number;
  /** Keyset pagination: entries with a smaller seq, newest first. */
  beforeSeq?: string;
  action?: string;
  actorId?: string;
}

export type AuditProblemKind = 'altered' | 'deleted' | 'inserted' | 'head-mismatch';

export interface AuditVerifyProblem {
  kind: AuditProblemKind;
  /** The first entry concerned; for 'deleted', the first missing seq. */
  seq: string | null;
  /** The row id of the entry concerned, when there is a row to name. */
  id: string | null;
  /** For people: names entries by seq and id only, never by their content. */
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Entries that passed every check before the walk stopped. */
  checked: number;
  /** Seq of the last entry that passed ('0' when none did). */
  lastSeq: string;
  problem?: AuditVerifyProblem;
}
