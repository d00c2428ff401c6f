import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '../../../test/utils/test-database';
import { GENESIS_HASH, canonicalDetails, computeEntryHash } from './audit-hash';
import { NewAuditEntry } from './audit.types';
import { TypeormAuditRepository } from './typeorm-audit.repository';

// Past 10, so ordering by seq as text rather than as a number would show.
const CHAIN_LENGTH = 12;

function entry(n: number): NewAuditEntry {
  return {
    occurredAt: new Date(Date.UTC(2025, 10, 21, 10, 0, n, 123)),
    actor: { type: 'user', id: `user-${n}`, role: 'agent' },
    action: 'lead.view',
    outcome: 'success',
    targetType: 'lead',
    targetId: `lead-${n}`,
    sourceIp: '10.0.0.1',
    requestId: `req-${n}`,
    details: { reason: 'callback', attempt: n, ok: true, note: null },
  };
}

interface IdRow {
  id: string;
  seq: string;
  hash: string;
}

describe('TypeormAuditRepository (real MariaDB)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: TypeormAuditRepository;

  beforeAll(async () => {
    db = await createTestDatabase('audit');
    dataSource = await db.connect();
    repository = new TypeormAuditRepository(dataSource);
    // The tamper cases play a DBA-level attacker, who can lift the append-only triggers first.
    for (const trigger of [
      'audit_log_no_update',
      'audit_log_no_delete',
      'audit_log_continue_head',
      'audit_chain_head_advance',
      'audit_chain_head_no_delete',
    ]) {
      await db.sql(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
  });

  afterAll(async () => {
    await db.drop();
  });

  beforeEach(async () => {
    await db.sql('DELETE FROM audit_log');
    await db.sql(`UPDATE audit_chain_head SET last_seq = 0, last_hash = REPEAT('0', 64) WHERE id = 1`);
    for (let n = 1; n <= CHAIN_LENGTH; n += 1) await repository.append(entry(n));
  });

  async function row(seq: number): Promise<IdRow> {
    const rows = await db.sql<IdRow[]>(
      'SELECT CAST(id AS CHAR) AS id, CAST(seq AS CHAR) AS seq, hash FROM audit_log WHERE seq = ?',
      [seq],
    );
    return rows[0];
  }

  /** What a clever attacker writes: a row with a correctly computed hash, linked to `prevHash`. */
  async function forge(seq: number, prevHash: string, id?: string): Promise<string> {
    const occurredAt = new Date(Date.UTC(2025, 10, 21, 11, 0, 0, 0));
    const details = canonicalDetails({ reason: 'forged' });
    const fields = {
      seq: String(seq),
      occurredAt,
      actorType: 'user',
      actorId: 'attacker',
      actorRole: 'admin',
      action: 'lead.export',
      targetType: 'lead',
      targetId: 'lead-x',
      outcome: 'success',
      sourceIp: '10.9.9.9',
      requestId: 'req-forged',
      details,
      prevHash,
    };
    const hash = computeEntryHash(fields);
    await db.sql(
      `INSERT INTO audit_log (id, seq, occurred_at, actor_type, actor_id, actor_role, action, target_type, target_id,
         outcome, source_ip, request_id, details, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id ?? null,
        seq,
        occurredAt.toISOString().slice(0, 23).replace('T', ' '),
        fields.actorType,
        fields.actorId,
        fields.actorRole,
        fields.action,
        fields.targetType,
        fields.targetId,
        fields.outcome,
        fields.sourceIp,
        fields.requestId,
        details,
        prevHash,
        hash,
      ],
    );
    return hash;
  }

  it('appends a chain that verifies, linked from the genesis hash, and reads it back exactly', async () => {
    expect(await repository.verify()).toEqual({ ok: true, checked: CHAIN_LENGTH, lastSeq: String(CHAIN_LENGTH) });
    // Small batches exercise the keyset paging across batch boundaries.
    expect(await repository.verify(3)).toEqual({ ok: true, checked: CHAIN_LENGTH, lastSeq: String(CHAIN_LENGTH) });

    const [newest, ...rest] = await repository.list({ limit: CHAIN_LENGTH });
    expect(rest).toHaveLength(CHAIN_LENGTH - 1);
    expect(newest).toMatchObject({ ...entry(CHAIN_LENGTH), seq: String(CHAIN_LENGTH) });
    expect(newest.occurredAt.toISOString()).toBe('2025-11-21T10:00:12.123Z');
    expect(newest.details).toEqual({ attempt: CHAIN_LENGTH, note: null, ok: true, reason: 'callback' });
    expect(rest.at(-1)).toMatchObject({ seq: '1', prevHash: GENESIS_HASH });
    expect(newest.prevHash).toBe(rest[0].hash);

    const head = await db.sql<Array<{ lastSeq: string; lastHash: string }>>(
      'SELECT CAST(last_seq AS CHAR) AS lastSeq, last_hash AS lastHash FROM audit_chain_head',
    );
    expect(head).toEqual([{ lastSeq: String(CHAIN_LENGTH), lastHash: newest.hash }]);
  });

  it('lists newest first, pages by seq and filters by action and actor', async () => {
    await repository.append({ ...entry(13), action: 'auth.login', actor: { type: 'user', id: 'user-3', role: 'agent' } });
    expect((await repository.list({ limit: 3 })).map((e) => e.seq)).toEqual(['13', '12', '11']);
    expect((await repository.list({ limit: 3, beforeSeq: '11' })).map((e) => e.seq)).toEqual(['10', '9', '8']);
    expect((await repository.list({ limit: 10, action: 'auth.login' })).map((e) => e.seq)).toEqual(['13']);
    expect((await repository.list({ limit: 10, actorId: 'user-3' })).map((e) => e.seq)).toEqual(['13', '3']);
    await expect(repository.list({ limit: 0 })).rejects.toThrow(/limit/);
    await expect(repository.list({ limit: 10, beforeSeq: '1 OR 1=1' })).rejects.toThrow(/beforeSeq/);
  });

  it('names an entry changed with SQL as altered, without quoting the change', async () => {
    const target = await row(4);
    await db.sql(`UPDATE audit_log SET actor_id = 'covered-up' WHERE seq = 4`);
    const result = await repository.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, lastSeq: '3' });
    expect(result.problem).toMatchObject({ kind: 'altered', seq: '4', id: target.id });
    expect(result.problem?.message).not.toContain('covered-up');
  });

  it('names an entry whose time or details changed as altered', async () => {
    await db.sql(`UPDATE audit_log SET occurred_at = occurred_at + INTERVAL 1 SECOND WHERE seq = 2`);
    expect((await repository.verify()).problem).toMatchObject({ kind: 'altered', seq: '2' });
    await db.sql(`UPDATE audit_log SET occurred_at = occurred_at - INTERVAL 1 SECOND WHERE seq = 2`);
    expect((await repository.verify()).ok).toBe(true);
    await db.sql(`UPDATE audit_log SET details = REPLACE(details, 'callback', 'nothing') WHERE seq = 6`);
    expect((await repository.verify()).problem).toMatchObject({ kind: 'altered', seq: '6' });
  });

  it('names an entry rewritten with a recomputed hash as altered, through the next entry link', async () => {
    const target = await row(4);
    await db.sql('DELETE FROM audit_log WHERE seq = 4');
    await forge(4, (await row(3)).hash, target.id);
    const result = await repository.verify();
    expect(result.problem).toMatchObject({ kind: 'altered', seq: '4', id: target.id });
  });

  it('names an entry deleted from the middle as deleted', async () => {
    await db.sql('DELETE FROM audit_log WHERE seq = 4');
    const result = await repository.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, lastSeq: '3' });
    expect(result.problem).toMatchObject({ kind: 'deleted', seq: '4', id: null });
    expect(result.problem?.message).toMatch(/entry seq 4 is missing/);
  });

  it('detects the last entry deleted, through the head', async () => {
    await db.sql(`DELETE FROM audit_log WHERE seq = ${CHAIN_LENGTH}`);
    const result = await repository.verify();
    expect(result).toMatchObject({ ok: false, checked: CHAIN_LENGTH - 1 });
    expect(result.problem).toMatchObject({ kind: 'deleted', seq: String(CHAIN_LENGTH) });
  });

  it('detects every entry deleted, through the head', async () => {
    await db.sql('DELETE FROM audit_log');
    expect((await repository.verify()).problem).toMatchObject({ kind: 'deleted', seq: '1' });
  });

  it('names a well-forged entry appended at the end as inserted, because the head does not know it', async () => {
    await forge(CHAIN_LENGTH + 1, (await row(CHAIN_LENGTH)).hash);
    const result = await repository.verify();
    expect(result).toMatchObject({ ok: false, checked: CHAIN_LENGTH });
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: String(CHAIN_LENGTH + 1) });
    expect(result.problem?.id).toBe((await row(CHAIN_LENGTH + 1)).id);
  });

  it('names a crude entry reusing a deleted seq as inserted', async () => {
    await db.sql('DELETE FROM audit_log WHERE seq = 4');
    await db.sql(
      `INSERT INTO audit_log (seq, occurred_at, actor_type, action, outcome, prev_hash, hash)
       VALUES (4, '2025-11-21 10:00:04.123', 'user', 'lead.view', 'success', REPEAT('1', 64), REPEAT('2', 64))`,
    );
    const result = await repository.verify();
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: '4', id: (await row(4)).id });
  });

  it('names a well-forged entry reusing a deleted seq as inserted', async () => {
    await db.sql('DELETE FROM audit_log WHERE seq = 4');
    await forge(4, (await row(3)).hash);
    const result = await repository.verify();
    expect(result).toMatchObject({ ok: false, checked: 3, lastSeq: '3' });
    expect(result.problem).toMatchObject({ kind: 'inserted', seq: '4', id: (await row(4)).id });
  });

  it('names a rewritten last entry, or an edited head, as a head mismatch', async () => {
    await db.sql(`UPDATE audit_chain_head SET last_hash = REPEAT('e', 64) WHERE id = 1`);
    expect((await repository.verify()).problem).toMatchObject({ kind: 'head-mismatch', seq: String(CHAIN_LENGTH) });
  });

  it('reports a chain head row that was removed', async () => {
    await db.sql('DELETE FROM audit_chain_head');
    expect((await repository.verify()).problem).toMatchObject({ kind: 'head-mismatch', seq: null });
    await expect(repository.append(entry(99))).rejects.toThrow(/chain head row is missing/);
    await db.sql(`INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, REPEAT('0', 64))`);
  });
});
