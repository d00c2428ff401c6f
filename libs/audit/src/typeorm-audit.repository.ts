import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { withLockRetry } from '@app/database';
import { AuditChainHead, AuditChainRow, verifyAuditChainRows } from './audit-chain.verifier';
import { AuditHashInput, canonicalDetails, computeEntryHash } from './audit-hash';
import { AuditException, AuditExceptionCode } from './audit.exception';
import { AuditRepository } from './audit.repository';
import {
  AuditActorType,
  AuditDetailValue,
  AuditEntry,
  AuditListFilter,
  AuditOutcome,
  AuditVerifyResult,
  NewAuditEntry,
} from './audit.types';

/** One audit_log row, read with its bigints as text and its time as text in UTC. */
interface AuditLogRow {
  id: string;
  seq: string;
  occurredAt: string;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  sourceIp: string | null;
  requestId: string | null;
  details: string | null;
  prevHash: string;
  hash: string;
}

// Bigints and times are read as text so that what is hashed does not depend on the driver's
// bigNumberStrings or timezone settings. The text alias shadows the column in ORDER BY, so sorting
// names audit_log.seq: sorting "10" before "9" would break the walk.
const COLUMNS = `CAST(id AS CHAR) AS id, CAST(seq AS CHAR) AS seq,
  DATE_FORMAT(occurred_at, '%Y-%m-%dT%H:%i:%s.%f') AS occurredAt,
  actor_type AS actorType, actor_id AS actorId, actor_role AS actorRole, action,
  target_type AS targetType, target_id AS targetId, outcome, source_ip AS sourceIp,
  request_id AS requestId, details, prev_hash AS prevHash, hash`;

const HEAD = 'SELECT CAST(last_seq AS CHAR) AS lastSeq, last_hash AS lastHash FROM audit_chain_head WHERE id = 1';

const MAX_LIST_LIMIT = 500;
const DEFAULT_BATCH = 1000;
const MAX_BATCH = 10_000;

interface InsertResult {
  insertId: number | string;
}

interface PendingAppend {
  entry: NewAuditEntry;
  resolve: (entry: AuditEntry) => void;
  reject: (error: unknown) => void;
}

/** Entries written in one transaction at most; bounds the time the head lock is held. */
const MAX_GROUP = 200;

/** UTC with exactly the milliseconds DATETIME(3) keeps, independent of the connection's timezone. */
function toDatetime(date: Date): string {
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

function fromDatetime(text: string): Date {
  return new Date(`${text.slice(0, 23)}Z`);
}

/** Stored details were written as canonical JSON; a row edited by hand may hold anything. */
function parseDetails(text: string | null): Record<string, AuditDetailValue> | null {
  if (text === null) return null;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, AuditDetailValue>)
      : null;
  } catch {
    return null;
  }
}

function toChainRow(row: AuditLogRow): AuditChainRow {
  return { ...row, occurredAt: fromDatetime(row.occurredAt) };
}

function toEntry(row: AuditLogRow): AuditEntry {
  return {
    id: row.id,
    seq: row.seq,
    occurredAt: fromDatetime(row.occurredAt),
    actor: { type: row.actorType as AuditActorType, id: row.actorId, role: row.actorRole },
    action: row.action,
    outcome: row.outcome as AuditOutcome,
    targetType: row.targetType,
    targetId: row.targetId,
    sourceIp: row.sourceIp,
    requestId: row.requestId,
    details: parseDetails(row.details),
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

@Injectable()
export class TypeormAuditRepository extends AuditRepository {
  constructor(private readonly dataSource: DataSource) {
    super();
  }

  /**
   * Group commit: appends waiting in this process are written together, in one transaction under one
   * head lock, instead of each queueing for the lock in turn. Every caller still gets its promise
   * settled only after its own entry is committed, so nothing is acknowledged that is not written.
   */
  append(entry: NewAuditEntry): Promise<AuditEntry> {
    return new Promise<AuditEntry>((resolve, reject) => {
      this.pending.push({ entry, resolve, reject });
      void this.drain();
    });
  }

  private readonly pending: PendingAppend[] = [];
  private draining = false;

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, MAX_GROUP);
        try {
          const written = await this.appendGroup(group.map((p) => p.entry));
          group.forEach((p, i) => p.resolve(written[i]));
        } catch (error) {
          if (group.length === 1) {
            group[0].reject(error);
            continue;
          }
          // One entry the database refuses must not take the others down: write them one by one.
          for (const p of group) {
            await this.appendGroup([p.entry]).then(([written]) => p.resolve(written), p.reject);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private appendGroup(entries: NewAuditEntry[]): Promise<AuditEntry[]> {
    // READ COMMITTED: after waiting for the head lock, read the head another instance just
    // committed, not a snapshot from before the wait.
    return withLockRetry(() =>
      this.dataSource.transaction('READ COMMITTED', async (manager) => {
        const written: AuditEntry[] = [];
        for (const entry of entries) written.push(await this.appendLocked(manager, entry));
        return written;
      }),
    );
  }

  async list(filter: AuditListFilter): Promise<AuditEntry[]> {
    if (!Number.isInteger(filter.limit) || filter.limit < 1 || filter.limit > MAX_LIST_LIMIT) {
      throw new AuditException(AuditExceptionCode.InvalidQuery, `limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
    }
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.beforeSeq !== undefined) {
      if (!/^[0-9]{1,20}$/.test(filter.beforeSeq)) {
        throw new AuditException(AuditExceptionCode.InvalidQuery, 'beforeSeq must be a decimal sequence number');
      }
      where.push('seq < CAST(? AS UNSIGNED)');
      params.push(filter.beforeSeq);
    }
    if (filter.action !== undefined) {
      where.push('action = ?');
      params.push(filter.action);
    }
    if (filter.actorId !== undefined) {
      where.push('actor_id = ?');
      params.push(filter.actorId);
    }
    const filters = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const rows: AuditLogRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM audit_log ${filters} ORDER BY audit_log.seq DESC LIMIT ?`,
      [...params, filter.limit],
    );
    return rows.map(toEntry);
  }

  async verify(batchSize = DEFAULT_BATCH): Promise<AuditVerifyResult> {
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
      throw new AuditException(AuditExceptionCode.InvalidQuery, `batchSize must be an integer from 1 to ${MAX_BATCH}`);
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      // One consistent snapshot for the head and every batch, so appends committed while the walk
      // runs are neither half-seen nor mistaken for rows added behind the head.
      await runner.startTransaction('REPEATABLE READ');
      const heads: AuditChainHead[] = await runner.query(HEAD);
      const result = await verifyAuditChainRows(heads[0] ?? null, this.rowsInSeqOrder(runner, batchSize));
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * The head row's lock is what makes one chain out of many writers: every append, from any
   * connection or app instance, waits for it, links to the hash it holds and moves it on before
   * committing.
   */
  private async appendLocked(manager: EntityManager, entry: NewAuditEntry): Promise<AuditEntry> {
    const heads: AuditChainHead[] = await manager.query(`${HEAD} FOR UPDATE`);
    const head = heads[0];
    if (!head) throw new AuditException(AuditExceptionCode.ChainHeadMissing, 'The audit chain head row is missing');
    const input: AuditHashInput = {
      seq: (BigInt(head.lastSeq) + 1n).toString(),
      occurredAt: entry.occurredAt,
      actorType: entry.actor.type,
      actorId: entry.actor.id,
      actorRole: entry.actor.role,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      outcome: entry.outcome,
      sourceIp: entry.sourceIp,
      requestId: entry.requestId,
      details: canonicalDetails(entry.details),
      prevHash: head.lastHash,
    };
    const hash = computeEntryHash(input);
    const inserted: InsertResult = await manager.query(
      `INSERT INTO audit_log (seq, occurred_at, actor_type, actor_id, actor_role, action, target_type, target_id,
         outcome, source_ip, request_id, details, prev_hash, hash)
       VALUES (CAST(? AS UNSIGNED), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        input.seq,
        toDatetime(input.occurredAt),
        input.actorType,
        input.actorId,
        input.actorRole,
        input.action,
        input.targetType,
        input.targetId,
        input.outcome,
        input.sourceIp,
        input.requestId,
        input.details,
        input.prevHash,
        hash,
      ],
    );
    await manager.query('UPDATE audit_chain_head SET last_seq = CAST(? AS UNSIGNED), last_hash = ? WHERE id = 1', [
      input.seq,
      hash,
    ]);
    return {
      ...entry,
      details: parseDetails(input.details),
      id: String(inserted.insertId),
      seq: input.seq,
      prevHash: input.prevHash,
      hash,
    };
  }

  /** Keyset pages in seq order: memory stays bounded by one batch however long the chain is. */
  private async *rowsInSeqOrder(runner: QueryRunner, batchSize: number): AsyncGenerator<AuditChainRow> {
    let after: string | null = null;
    for (;;) {
      const rows: AuditLogRow[] =
        after === null
          ? await runner.query(`SELECT ${COLUMNS} FROM audit_log ORDER BY audit_log.seq LIMIT ?`, [batchSize])
          : await runner.query(
              `SELECT ${COLUMNS} FROM audit_log WHERE seq > CAST(? AS UNSIGNED) ORDER BY audit_log.seq LIMIT ?`,
              [after, batchSize],
            );
      for (const row of rows) yield toChainRow(row);
      if (rows.length < batchSize) return;
      after = rows[rows.length - 1].seq;
    }
  }
}
