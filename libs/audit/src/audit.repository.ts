import { AuditEntry, AuditListFilter, AuditVerifyResult, NewAuditEntry } from './audit.types';

/** The audit log's storage: append to the one chain, read it back, and check it end to end. */
export abstract class AuditRepository {
  /**
   * Links the entry to the chain's head and stores it, atomically with moving the head, so every
   * app instance appends to the same single chain. Throws if the entry cannot be stored.
   */
  abstract append(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first. */
  abstract list(filter: AuditListFilter): Promise<AuditEntry[]>;
  /** Walks the whole chain in batches of `batchSize` rows and names the first problem. */
  abstract verify(batchSize?: number): Promise<AuditVerifyResult>;
}
