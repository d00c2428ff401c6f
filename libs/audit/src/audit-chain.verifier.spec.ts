import { AuditChainHead, AuditChainRow, verifyAuditChainRows } from './audit-chain.verifier';
import { AuditHashInput, GENESIS_HASH, computeEntryHash } from './audit-hash';

/** Row ids start far from seqs, so a test cannot pass by confusing the two. */
const idOf = (seq: number): string => String(1000 + seq);

function content(seq: number, prevHash: string, actorId = `user-${seq}`): AuditHashInput {
  return {
    seq: String(seq),
    occurredAt: new Date(Date.UTC(2025, 10, 21, 10, 0, 0, seq)),
    actorType: 'user',
    actorId,
    actorRole: 'agent',
    action: 'lead.view',
    targetType: 'lead',
    targetId: `lead-${seq}`,
    outcome: 'success',
    sourceIp: '10.0.0.1',
    requestId: `req-${seq}`,
    details: null,
    prevHash,
  };
}

function sealed(input: AuditHashInput, id: string): AuditChainRow {
  return { ...input, id, hash: computeEntryHash(input) };
}

function chain(length: number): { rows: AuditChainRow[]; head: AuditChainHead } {
  const rows: AuditChainRow[] = [];
  for (let seq = 1; seq <= length; seq += 1) {
    rows.push(sealed(content(seq, rows.at(-1)?.hash ?? GENESIS_HASH), idOf(seq)));
  }
  return { rows, head: { lastSeq: String(length), lastHash: rows.at(-1)?.hash ?? GENESIS_HASH } };
}

async function* batched(rows: AuditChainRow[]): AsyncGenerator<AuditChainRow> {
  for (const row of rows) yield row;
}

describe('verifyAuditChainRows', () => {
  it('accepts an intact chain, read synchronously or as a stream', async () => {
    const { rows, head } = chain(5);
    expect(await verifyAuditChainRows(head, rows)).toEqual({ ok: true, checked: 5, lastSeq: '5' });
    expect(await verifyAuditChainRows(head, batched(rows))).toEqual({ ok: true, checked: 5, lastSeq: '5' });
  });

  it('accepts the empty chain at its genesis head', async () => {
    expect(await verifyAuditChainRows({ lastSeq: '0', lastHash: GENESIS_HASH }, [])).toEqual({
      ok: true,
      checked: 0,
      lastSeq: '0',
    });
  });

  it('names an entry whose content changed as altered', async () => {
    const { rows, head } = chain(5);
    rows[2] = { ...rows[2], actorId: 'someone-else' };
    const result = await verifyAuditChainRows(head, rows);
    expect(result).toMatchObject({ ok: false, checked: 2, lastSeq: '2' });
    expect(result.problem).toMatchObject({ kind: 'altered', seq: '3', id: idOf(3) });
    expect(result.problem?.message).not.toContain('someone-else');
  });

  it('names an entry rewritten with a recomputed hash as altered, found through the next link', async () => {
    const { rows, head } = chain(5);
    rows[2] = sealed(content(3, rows[1].hash, 'someone-else'), idOf(3));
    const result = await verifyAuditChainRows(head, rows);
    expect(result).toMatchObject({ ok: false, checked: 2, lastSeq: '2' });
    expect(result.problem).toMatchObject({ kind: 'altered', seq: '3', id: idOf(3) });
  });

  it('names a gap as deleted, with the missing seqs', async () => {
    const { rows, head } = chain(6);
    const result = await verifyAuditChainRows(head, [...rows.slice(0, 2), ...rows.slice(4)]);
    expect(result).toMatchObject({ ok: false, checked: 2, problem: { kind: 'deleted', seq: '3', id: null } });
    expect(result.problem?.message).toContain('3..4');
    expect(result.problem?.message).toContain(`seq 5 (id ${idOf(5)})`);
  });

  it('names entries removed from the end as deleted, through the head', async () => {
    const { rows, head } = chain(5);
    const result = await verifyAuditChainRows(head, rows.slice(0, 4));
    expect(result).toMatchObject({ ok: false, checked: 4, problem: { kind: 'deleted', seq: '5', id: null } });
  });

  it('names a well-forged entry added at the end as inserted, because the head does not know it', async () => {
    const { rows, head } = chain(5);
    const forged = sealed(content(6, rows[4].hash), idOf(6));
    const result = await verifyAuditChainRows(head, [...rows, forged]);
    expect(result).toMatchObject({ ok: false, checked: 5, problem: { kind: 'inserted', seq: '6', id: idOf(6) } });
  });

  it('names a crude entry put in place of a deleted one as inserted, by its out-of-order row id', async () => {
    const { rows, head } = chain(5);
    rows[2] = { ...content(3, rows[1].hash, 'someone-else'), id: '9999', hash: 'f'.repeat(64) };
    const result = await verifyAuditChainRows(head, rows);
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: '3', id: '9999' });
  });

  it('names a well-forged entry put in place of a deleted one as inserted', async () => {
    const { rows, head } = chain(5);
    rows[2] = sealed(content(3, rows[1].hash, 'someone-else'), '9999');
    const result = await verifyAuditChainRows(head, rows);
    expect(result).toMatchObject({ ok: false, checked: 2, lastSeq: '2' });
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: '3', id: '9999' });
  });

  it('names a first entry that does not start from the genesis hash as inserted', async () => {
    const { rows, head } = chain(3);
    rows[0] = sealed(content(1, 'b'.repeat(64)), idOf(1));
    const result = await verifyAuditChainRows(head, rows);
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: '1', id: idOf(1) });
  });

  it('names a rewritten last entry or an edited head as a head mismatch', async () => {
    const { rows, head } = chain(3);
    rows[2] = sealed(content(3, rows[1].hash, 'someone-else'), idOf(3));
    expect((await verifyAuditChainRows(head, rows)).problem).toMatchObject({
      kind: 'head-mismatch',
      seq: '3',
      id: idOf(3),
    });
    expect(
      (await verifyAuditChainRows({ lastSeq: '0', lastHash: 'c'.repeat(64) }, [])).problem,
    ).toMatchObject({ kind: 'head-mismatch', seq: null });
  });

  it('reports a missing head row', async () => {
    const { rows } = chain(2);
    const result = await verifyAuditChainRows(null, rows);
    expect(result).toMatchObject({ ok: false, problem: { kind: 'head-mismatch', seq: null, id: null } });
  });

  it('reports only the first problem', async () => {
    const { rows, head } = chain(6);
    rows[1] = { ...rows[1], targetId: 'changed' };
    const result = await verifyAuditChainRows(head, [...rows.slice(0, 4), ...rows.slice(5)]);
    expect(result.problem).toMatchObject({ kind: 'altered', seq: '2' });
  });
});
