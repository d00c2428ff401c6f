import { DataSource } from 'typeorm';
import { TestDatabase, createTestDatabase } from '../../../test/utils/test-database';
import { NewAuditEntry } from './audit.types';
import { TypeormAuditRepository } from './typeorm-audit.repository';

function entry(n: number): NewAuditEntry {
  return {
    occurredAt: new Date(Date.UTC(2025, 10, 21, 10, 0, n)),
    actor: { type: 'service', id: 'dialer', role: null },
    action: 'call.start',
    outcome: 'success',
    targetType: 'call',
    targetId: `call-${n}`,
    sourceIp: null,
    requestId: null,
    details: null,
  };
}

/** The triggers of migration AuditAppendOnly, against someone with plain SQL access to the tables. */
describe('audit_log append-only triggers (real MariaDB)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: TypeormAuditRepository;

  beforeAll(async () => {
    db = await createTestDatabase('auditao');
    dataSource = await db.connect();
    repository = new TypeormAuditRepository(dataSource);
    for (let n = 1; n <= 3; n += 1) await repository.append(entry(n));
  });

  afterAll(async () => {
    await db.drop();
  });

  afterEach(async () => {
    // Every refusal left the chain as it was.
    expect(await repository.verify()).toEqual({ ok: true, checked: 3, lastSeq: '3' });
  });

  it('refuses UPDATE of an entry', async () => {
    await expect(db.sql(`UPDATE audit_log SET actor_id = 'x' WHERE seq = 2`)).rejects.toThrow('audit_log is append-only');
  });

  it('refuses DELETE of an entry', async () => {
    await expect(db.sql('DELETE FROM audit_log WHERE seq = 3')).rejects.toThrow('audit_log is append-only');
  });

  it('refuses an entry that does not continue the chain head', async () => {
    await expect(
      db.sql(
        `INSERT INTO audit_log (seq, occurred_at, actor_type, action, outcome, prev_hash, hash)
         VALUES (9, '2025-11-21 10:00:00.000', 'user', 'lead.view', 'success', REPEAT('1', 64), REPEAT('2', 64))`,
      ),
    ).rejects.toThrow('audit_log entries must continue the chain head');
  });

  it('refuses moving the head other than onto the entry just appended, and deleting it', async () => {
    await expect(db.sql('UPDATE audit_chain_head SET last_seq = 2 WHERE id = 1')).rejects.toThrow(
      'audit_chain_head only advances',
    );
    await expect(db.sql(`UPDATE audit_chain_head SET last_seq = 4, last_hash = REPEAT('3', 64) WHERE id = 1`)).rejects.toThrow(
      'audit_chain_head only advances',
    );
    await expect(db.sql('DELETE FROM audit_chain_head')).rejects.toThrow('audit_chain_head cannot be deleted');
  });
});
