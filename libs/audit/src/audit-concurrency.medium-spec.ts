import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '../../../test/utils/test-database';
import { NewAuditEntry } from './audit.types';
import { TypeormAuditRepository } from './typeorm-audit.repository';

const PER_INSTANCE = 50;

function entry(instance: string, n: number): NewAuditEntry {
  return {
    occurredAt: new Date(),
    actor: { type: 'service', id: instance, role: null },
    action: 'call.start',
    outcome: 'success',
    targetType: 'call',
    targetId: `${instance}-${n}`,
    sourceIp: null,
    requestId: null,
    details: { n },
  };
}

describe('concurrent audit appends (real MariaDB)', () => {
  let db: TestDatabase;
  // Two pools, as two app instances would have: nothing in process memory can serialise them.
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('auditcc');
    first = await db.connect();
    second = await db.connect();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('turns parallel appends from two instances into one gapless chain', async () => {
    const a = new TypeormAuditRepository(first);
    const b = new TypeormAuditRepository(second);
    const appended = await Promise.all([
      ...Array.from({ length: PER_INSTANCE }, (_, n) => a.append(entry('instance-a', n))),
      ...Array.from({ length: PER_INSTANCE }, (_, n) => b.append(entry('instance-b', n))),
    ]);

    const total = 2 * PER_INSTANCE;
    const expectedSeqs = Array.from({ length: total }, (_, i) => String(i + 1));
    expect(appended.map((e) => e.seq).sort((x, y) => Number(x) - Number(y))).toEqual(expectedSeqs);

    const rows = await db.sql<Array<{ seq: string; actorId: string }>>(
      'SELECT CAST(seq AS CHAR) AS seq, actor_id AS actorId FROM audit_log ORDER BY audit_log.seq',
    );
    expect(rows.map((r) => r.seq)).toEqual(expectedSeqs);
    expect(rows.filter((r) => r.actorId === 'instance-a')).toHaveLength(PER_INSTANCE);
    expect(rows.filter((r) => r.actorId === 'instance-b')).toHaveLength(PER_INSTANCE);

    expect(await a.verify()).toEqual({ ok: true, checked: total, lastSeq: String(total) });
    expect(await b.verify(7)).toEqual({ ok: true, checked: total, lastSeq: String(total) });
  });

  it('verifies a consistent snapshot while appends keep arriving', async () => {
    const a = new TypeormAuditRepository(first);
    const b = new TypeormAuditRepository(second);
    const writes = Array.from({ length: 30 }, (_, n) => a.append(entry('instance-a', 1000 + n)));
    const checks = Array.from({ length: 5 }, () => b.verify(5));
    const [results] = await Promise.all([Promise.all(checks), Promise.all(writes)]);
    for (const result of results) expect(result.ok).toBe(true);
    expect(await b.verify()).toMatchObject({ ok: true, checked: 2 * PER_INSTANCE + 30 });
  });
});
