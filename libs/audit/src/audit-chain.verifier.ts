import { AuditHashInput, GENESIS_HASH, computeEntryHash } from './audit-hash';
import { AuditProblemKind, AuditVerifyProblem, AuditVerifyResult } from './audit.types';

/** A row as stored, in the form its hash covers, plus the row id used to tell insertions apart. */
export interface AuditChainRow extends AuditHashInput {
  id: string;
  hash: string;
}

export interface AuditChainHead {
  lastSeq: string;
  lastHash: string;
}

function describe(row: AuditChainRow): string {
  return `seq ${row.seq} (id ${row.id})`;
}

function problemAt(kind: AuditProblemKind, row: AuditChainRow, message: string): AuditVerifyProblem {
  return { kind, seq: row.seq, id: row.id, message };
}

function missing(from: bigint, to: bigint, after: AuditChainRow | null): AuditVerifyProblem {
  const which = from === to ? `entry seq ${from} is` : `entries seq ${from}..${to} are`;
  const where = after ? `; the chain resumes at ${describe(after)}` : ' at the end of the chain';
  return { kind: 'deleted', seq: from.toString(), id: null, message: `${which} missing (deleted)${where}` };
}

/**
 * Appends hold the head lock while inserting, so genuine rows get AUTO_INCREMENT ids that grow with
 * seq. A row whose id is out of order between its neighbours was written later than its seq claims:
 * it was inserted by hand in place of a deleted entry. Only used to name a break the hashes already
 * found, since ids are not covered by the hash.
 */
function idOutOfOrder(id: string, before: AuditChainRow | null, after: AuditChainRow | null): boolean {
  const own = BigInt(id);
  return (before !== null && own <= BigInt(before.id)) || (after !== null && own >= BigInt(after.id));
}

interface Walk {
  /** The two rows accepted last, newest first. */
  prev: AuditChainRow | null;
  beforePrev: AuditChainRow | null;
  expected: bigint;
  headSeq: bigint;
}

/** The first problem with `row`, or one that shows the previous row was forged; null if it links. */
function checkRow(walk: Walk, row: AuditChainRow, next: AuditChainRow | null): AuditVerifyProblem | null {
  const { prev, beforePrev } = walk;
  const seq = BigInt(row.seq);
  const name = describe(row);
  if (seq > walk.headSeq) {
    const message = `entry ${name} lies beyond the chain head (seq ${walk.headSeq}): it was added outside the application`;
    return problemAt('inserted', row, message);
  }
  if (seq < walk.expected) {
    const message = `entry ${name} is out of sequence (expected seq ${walk.expected}): it was added outside the application`;
    return problemAt('inserted', row, message);
  }
  if (seq > walk.expected) return missing(walk.expected, seq - 1n, row);

  if (computeEntryHash(row) !== row.hash) {
    return idOutOfOrder(row.id, prev, next)
      ? problemAt(
          'inserted',
          row,
          `entry ${name} does not match its hash and its row id is out of order: it was inserted in place of a deleted entry`,
        )
      : problemAt('altered', row, `entry ${name} does not match its hash: its content was changed`);
  }

  if (row.prevHash !== (prev?.hash ?? GENESIS_HASH)) {
    if (!prev) return problemAt('inserted', row, `entry ${name} does not start from the genesis hash: it was forged`);
    // Both rows match their own hashes, so one was rewritten with a recomputed hash. The later row's
    // link still records what the earlier one used to be: the earlier one is the forgery.
    const evidence = `entry ${name} records a different previous hash`;
    return idOutOfOrder(prev.id, beforePrev, row)
      ? problemAt(
          'inserted',
          prev,
          `entry ${describe(prev)} was inserted in place of a deleted entry: its row id is out of order and ${evidence}`,
        )
      : problemAt('altered', prev, `entry ${describe(prev)} was rewritten with a recomputed hash: ${evidence}`);
  }
  return null;
}

/**
 * Walks the rows in seq order (any number, one at a time plus one of look-ahead) and reports the
 * first entry that was altered, inserted or deleted, then compares the end of the chain with its head.
 */
export async function verifyAuditChainRows(
  head: AuditChainHead | null,
  rows: AsyncIterable<AuditChainRow> | Iterable<AuditChainRow>,
): Promise<AuditVerifyResult> {
  if (!head) {
    return {
      ok: false,
      checked: 0,
      lastSeq: '0',
      problem: { kind: 'head-mismatch', seq: null, id: null, message: 'the chain head row is missing' },
    };
  }
  const walk: Walk = { prev: null, beforePrev: null, expected: 1n, headSeq: BigInt(head.lastSeq) };
  let checked = 0;
  const failed = (problem: AuditVerifyProblem): AuditVerifyResult => {
    // A problem that names the previous row takes back its pass.
    const blamesPrev = walk.prev !== null && problem.id === walk.prev.id && problem.seq === walk.prev.seq;
    return blamesPrev
      ? { ok: false, checked: checked - 1, lastSeq: walk.beforePrev?.seq ?? '0', problem }
      : { ok: false, checked, lastSeq: walk.prev?.seq ?? '0', problem };
  };

  const iterator = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : rows[Symbol.iterator]();
  let current = await iterator.next();
  while (!current.done) {
    const row = current.value;
    const following = await iterator.next();
    const problem = checkRow(walk, row, following.done ? null : following.value);
    if (problem) return failed(problem);
    walk.beforePrev = walk.prev;
    walk.prev = row;
    walk.expected += 1n;
    checked += 1;
    current = following;
  }

  const lastSeq = walk.expected - 1n;
  if (walk.headSeq > lastSeq) return failed(missing(lastSeq + 1n, walk.headSeq, null));
  if (head.lastHash !== (walk.prev?.hash ?? GENESIS_HASH)) {
    const message = walk.prev
      ? `the chain head does not match the last entry ${describe(walk.prev)}: ` +
        'that entry was rewritten with a recomputed hash, or the head was edited'
      : 'the chain head does not match the empty chain: the head was edited';
    return failed({ kind: 'head-mismatch', seq: walk.prev?.seq ?? null, id: walk.prev?.id ?? null, message });
  }
  return { ok: true, checked, lastSeq: walk.prev?.seq ?? '0' };
}
