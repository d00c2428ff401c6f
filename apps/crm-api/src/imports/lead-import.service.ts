import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { DncService } from '../compliance/dnc.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadCipher } from '../leads/lead-cipher.service';
import { LeadInput, LeadWriter } from '../leads/lead-writer.service';
import { CsvRecord, CsvRecordError, CsvRecordReader } from './csv-record.reader';
import { LeadImportRollback } from './lead-import-rollback.service';
import { LeadImportRepository } from './lead-import.repository';
import { ImportCounts, ImportIssue, ImportReport, toReport } from './lead-import.types';
import { LeadListRepository } from './lead-list.repository';
import { ColumnTarget, HeaderError, ImportPlan, mapRow, RowContext } from './lead-row.mapper';
import { withLockRetry } from '@app/database';

export const IMPORT_BATCH_SIZE = 500;
export const MAX_RECORD_BYTES = 65_536;
const HEARTBEAT_MS = 30_000;

const RECORD_ERRORS: Record<CsvRecordError, string> = {
  bad_quote: 'bad quoting: a quote inside an unquoted field, or text after a closing quote',
  unclosed_quote: 'bad quoting: a quote is never closed (the lines after this one were read again as rows)',
  too_large: `row longer than ${MAX_RECORD_BYTES} bytes (a field too large, or a quote never closed)`,
};

export interface ImportSource {
  /** The CSV bytes as they arrive; iterated once, with backpressure. */
  body: AsyncIterable<Buffer | string>;
  /** Content-Length when known: progress is bytes done of this. */
  bytesTotal: number | null;
  /** JSON object: CSV header → field, 'custom' or 'ignore'. */
  mapping?: string;
}

class UploadInterrupted extends Error {}
class ImportTakenOver extends Error {}

interface PendingRow {
  line: number;
  input: LeadInput;
}

/** One running import: its counters, its batch being filled and its issues not yet written. */
class ImportRun {
  readonly counts: ImportCounts = { rowsDone: 0, accepted: 0, rejected: 0, duplicates: 0, duplicatesInFile: 0, dncExcluded: 0 };
  bytesDone = 0;
  plan: ImportPlan | null = null;
  headerProblem: string | null = null;
  pending: PendingRow[] = [];
  issues: ImportIssue[] = [];
  takenOver = false;

  constructor(
    readonly id: string,
    readonly campaignId: string,
    readonly listId: string,
    readonly context: RowContext,
  ) {}

  reject(line: number, reason: string): void {
    this.counts.rejected += 1;
    this.issues.push({ line, kind: 'rejected', reason });
  }
}

/**
 * CSV imports into a lead list, streamed: the body is read as it arrives and written in batches, so
 * memory does not grow with the file. Each row is accepted, rejected (line and reason), a duplicate
 * or on a do-not-call list; a bad row never stops the others. An import that cannot finish is rolled
 * back, never left half-written.
 */
@Injectable()
export class LeadImportService {
  constructor(
    private readonly lists: LeadListRepository,
    private readonly imports: LeadImportRepository,
    private readonly campaigns: CampaignRepository,
    private readonly writer: LeadWriter,
    private readonly dnc: DncService,
    private readonly cipher: LeadCipher,
    private readonly rollback: LeadImportRollback,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async run(principal: UserPrincipal, listId: string, source: ImportSource): Promise<ImportReport> {
    const list = await this.lists.findById(listId);
    if (!list) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    await this.access.requireAccess(principal, Permission.LeadImport, list.campaignId);
    const campaign = await this.campaigns.findById(list.campaignId);
    if (!campaign) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    let mapping: ReadonlyMap<string, ColumnTarget>;
    try {
      mapping = ImportPlan.parseMapping(source.mapping);
    } catch (error) {
      if (error instanceof HeaderError) throw new CrmException(CrmExceptionCode.InvalidImport, error.message);
      throw error;
    }

    const id = randomUUID();
    await this.imports.create({ id, listId, campaignId: list.campaignId, bytesTotal: source.bytesTotal, createdBy: principal.userId });
    await this.audit.record({
      action: 'lead.import',
      outcome: 'success',
      targetType: 'lead_import',
      targetId: id,
      details: { phase: 'start', campaign: list.campaignId, list: listId, bytesTotal: source.bytesTotal },
    });

    const run = new ImportRun(id, list.campaignId, listId, {
      defaultRegion: list.defaultRegion,
      campaignTimezone: campaign.defaultTimezone,
      consentRequired: campaign.consentRequired,
    });
    const heartbeat = setInterval(() => {
      this.imports.heartbeat(id).then(
        (alive) => (run.takenOver ||= !alive),
        () => undefined,
      );
    }, HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await this.consume(run, source, mapping);
    } catch (error) {
      const interrupted = error instanceof UploadInterrupted;
      const message = interrupted
        ? 'the upload was interrupted before its end'
        : error instanceof ImportTakenOver
          ? 'the import was rolled back by another server'
          : 'the import failed on an internal error';
      await this.rollback.rollBackOwn(id, message, interrupted ? 'interrupted' : error instanceof ImportTakenOver ? 'taken_over' : 'error');
      await this.audit.record({
        action: 'lead.import',
        outcome: 'failure',
        targetType: 'lead_import',
        targetId: id,
        details: { phase: 'finish', status: 'rolled_back', rows: run.counts.rowsDone },
      });
      if (interrupted || error instanceof ImportTakenOver) throw new CrmException(CrmExceptionCode.InvalidImport, `Import ${id} was rolled back: ${message}`);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }

    if (run.headerProblem !== null) {
      await this.imports.failFinal(id, run.headerProblem);
    } else if (!(await this.imports.complete(id, run.bytesDone, run.counts))) {
      // Rolled back by another instance between the last batch and now: undo our part too.
      await this.rollback.rollBackOwn(id, 'the import was rolled back by another server', 'taken_over');
    }
    const report = await this.require(id);
    await this.audit.record({
      action: 'lead.import',
      outcome: report.status === 'completed' ? 'success' : 'failure',
      targetType: 'lead_import',
      targetId: id,
      details: {
        phase: 'finish',
        status: report.status,
        rows: report.rowsDone,
        accepted: report.accepted,
        rejected: report.rejected,
        duplicates: report.duplicates,
        dncExcluded: report.dncExcluded,
      },
    });
    return report;
  }

  async get(principal: UserPrincipal, importId: string): Promise<ImportReport> {
    const found = await this.imports.findById(importId);
    if (!found) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    await this.access.requireAccess(principal, Permission.LeadImport, found.campaignId);
    return toReport(found);
  }

  async issues(principal: UserPrincipal, importId: string, offset: number, limit: number): Promise<ImportIssue[]> {
    await this.get(principal, importId);
    return this.imports.listIssues(importId, offset, limit);
  }

  private async require(id: string): Promise<ImportReport> {
    const found = await this.imports.findById(id);
    if (!found) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    return toReport(found);
  }

  private async consume(run: ImportRun, source: ImportSource, mapping: ReadonlyMap<string, ColumnTarget>): Promise<void> {
    const reader = new CsvRecordReader(MAX_RECORD_BYTES);
    for await (const chunk of guarded(source.body)) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      run.bytesDone += bytes.length;
      for (const record of reader.push(bytes)) {
        await this.take(run, record, mapping);
        if (run.headerProblem !== null) return;
      }
    }
    if (source.bytesTotal !== null && run.bytesDone < source.bytesTotal) throw new UploadInterrupted();
    for (const record of reader.end()) {
      await this.take(run, record, mapping);
      if (run.headerProblem !== null) return;
    }
    if (run.plan === null) {
      run.headerProblem = 'the file is empty: no header row';
      return;
    }
    await this.flush(run);
  }

  private async take(run: ImportRun, record: CsvRecord, mapping: ReadonlyMap<string, ColumnTarget>): Promise<void> {
    if (run.plan === null) {
      if (record.error !== undefined) {
        run.headerProblem = `the header row cannot be read: ${RECORD_ERRORS[record.error]}`;
        return;
      }
      try {
        run.plan = ImportPlan.fromHeader(record.fields, mapping);
      } catch (error) {
        if (!(error instanceof HeaderError)) throw error;
        run.headerProblem = `the header row cannot be used: ${error.message}`;
      }
      return;
    }
    run.counts.rowsDone += 1;
    if (record.error !== undefined) {
      run.reject(record.line, RECORD_ERRORS[record.error]);
    } else {
      const result = mapRow(run.plan, record.fields, run.context);
      if (!result.ok) run.reject(record.line, result.reason);
      else run.pending.push({ line: record.line, input: result.row });
    }
    // Issues count too: a file of bad rows must not pile them up in memory.
    if (run.pending.length + run.issues.length >= IMPORT_BATCH_SIZE) await this.flush(run);
  }

  /** Writes the batch: do-not-call numbers left out first, then leads, then issues and progress. */
  private async flush(run: ImportRun): Promise<void> {
    const batch = run.pending;
    run.pending = [];
    if (batch.length > 0) {
      const bidxs = batch.map((p) => this.cipher.phoneIndex(p.input.fields.phone));
      const listed = await this.dnc.listed(run.campaignId, bidxs);
      const writable: number[] = [];
      batch.forEach((p, i) => {
        if (listed.has(bidxs[i])) {
          run.counts.dncExcluded += 1;
          run.issues.push({ line: p.line, kind: 'dnc', reason: 'the number is on a do-not-call list' });
        } else writable.push(i);
      });
      // A deadlock with a concurrent writer or a rollback is retried; a takeover is noticed at the next progress write.
      const results = await withLockRetry(() =>
        this.writer.writeBatch(run.campaignId, run.listId, run.id, writable.map((i) => batch[i].input)),
      );
      const duplicates = writable.filter((_, k) => results[k].status === 'duplicate');
      run.counts.accepted += writable.length - duplicates.length;
      if (duplicates.length > 0) {
        const owners = await this.imports.phoneOwners(run.campaignId, duplicates.map((i) => bidxs[i]));
        for (const i of duplicates) {
          const line = batch[i].line;
          if (!owners.has(bidxs[i])) {
            // Not written and no lead holds the number: a concurrent change (e.g. an erasure) got in the way.
            run.reject(line, 'not written because of a concurrent change; import this row again');
          } else if (owners.get(bidxs[i]) === run.id) {
            run.counts.duplicates += 1;
            run.counts.duplicatesInFile += 1;
            run.issues.push({ line, kind: 'duplicate', reason: 'the number repeats an earlier row of this file' });
          } else {
            run.counts.duplicates += 1;
            run.issues.push({ line, kind: 'duplicate', reason: 'the number is already a lead of this campaign' });
          }
        }
      }
    }
    const issues = run.issues;
    run.issues = [];
    await this.imports.addIssues(run.id, issues);
    if (run.takenOver || !(await this.imports.progress(run.id, run.bytesDone, run.counts))) throw new ImportTakenOver();
  }
}

/** The body, with any failure of the upload itself told apart from failures of the import. */
async function* guarded(body: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
  const iterator = body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<Buffer | string>;
    try {
      next = await iterator.next();
    } catch {
      throw new UploadInterrupted();
    }
    if (next.done) return;
    yield next.value;
  }
}
