import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { LeadImportRepository } from './lead-import.repository';
import { withLockRetry } from '@app/database';

/** An import whose heartbeat is older than this is taken to be dead (its instance stopped). */
export const STALE_IMPORT_SECONDS = 120;
const DELETE_CHUNK = 1000;

/**
 * Undoing an import that did not finish: its leads go, and so do the people it created that nothing
 * else refers to. Every step can run twice (or on two instances at once) with the same result: the
 * state moves running → failed (rollback under way) → rolled_back, and deleting what is already gone
 * deletes nothing.
 */
@Injectable()
export class LeadImportRollback {
  private readonly logger = new Logger(LeadImportRollback.name);

  constructor(
    private readonly imports: LeadImportRepository,
    private readonly audit: AuditService,
  ) {}

  /** Rolls back an import this instance was running. */
  async rollBackOwn(importId: string, error: string, cause: string): Promise<void> {
    // If another instance already took it over, its leads are still ours to delete: we may have
    // written a batch after its sweep.
    await this.imports.startRollback(importId, error);
    await this.purge(importId, cause);
  }

  /** Rolls back every import whose instance died; returns how many this instance took over. */
  async reapStale(): Promise<number> {
    let taken = 0;
    for (;;) {
      const ids = await this.imports.findStale(STALE_IMPORT_SECONDS, 50);
      if (ids.length === 0) return taken;
      let claimedAny = false;
      for (const id of ids) {
        if (!(await this.imports.claimStale(id, STALE_IMPORT_SECONDS, 'the import stopped without finishing (its server went away)'))) continue;
        claimedAny = true;
        taken += 1;
        await this.purge(id, 'stale');
      }
      if (!claimedAny) return taken;
    }
  }

  private async purge(importId: string, cause: string): Promise<void> {
    let leads = 0;
    let subjects = 0;
    for (;;) {
      // The import being taken over may still be writing: a deadlock with it is retried, not fatal.
      const deleted = await withLockRetry(() => this.imports.deleteLeadsChunk(importId, DELETE_CHUNK));
      leads += deleted.leads;
      subjects += deleted.subjects;
      if (deleted.leads === 0) break;
    }
    const finished = await withLockRetry(() => this.imports.finishRollback(importId));
    if (finished || leads > 0) {
      await this.audit.record({
        action: 'lead.import.rollback',
        outcome: 'success',
        targetType: 'lead_import',
        targetId: importId,
        details: { cause, leadsDeleted: leads, subjectsDeleted: subjects },
      });
      this.logger.warn(`import ${importId} rolled back (${cause}): ${leads} leads deleted`);
    }
  }
}
