import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { Clock, SystemClock } from '@app/domain';
import { RequestContext } from '@app/http';
import { TestDatabase, createTestDatabase } from '../../../test/utils/test-database';
import { AuditException } from './audit.exception';
import { AuditModule, verifyAuditChain } from './audit.module';
import { AuditService } from './audit.service';
import { AuditEvent } from './audit.types';

interface StoredRow {
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  sourceIp: string | null;
  requestId: string | null;
  action: string;
  details: string | null;
}

describe('AuditService with AuditModule (real MariaDB)', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let service: AuditService;

  beforeAll(async () => {
    db = await createTestDatabase('auditsvc');
    dataSource = await db.connect();
    // Stands in for PlatformModule, which provides DataSource and Clock to every module.
    @Global()
    @Module({
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: Clock, useClass: SystemClock },
      ],
      exports: [DataSource, Clock],
    })
    class TestDataSourceModule {}
    const moduleRef = await Test.createTestingModule({ imports: [TestDataSourceModule, AuditModule] }).compile();
    service = moduleRef.get(AuditService);
  });

  afterAll(async () => {
    await db.drop();
  });

  async function stored(): Promise<StoredRow[]> {
    return db.sql<StoredRow[]>(
      `SELECT actor_type AS actorType, actor_id AS actorId, actor_role AS actorRole, source_ip AS sourceIp,
              request_id AS requestId, action, details
         FROM audit_log ORDER BY seq`,
    );
  }

  it('stores the actor, source IP and request id of the request being served', async () => {
    await RequestContext.run(
      { requestId: 'r1', sourceIp: '10.0.0.1', actor: { type: 'user', id: 'u1', role: 'agent' } },
      () => service.record({ action: 'lead.view', outcome: 'success', targetType: 'lead', targetId: 'l1' }),
    );
    expect((await stored()).at(-1)).toEqual({
      actorType: 'user',
      actorId: 'u1',
      actorRole: 'agent',
      sourceIp: '10.0.0.1',
      requestId: 'r1',
      action: 'lead.view',
      details: null,
    });
    expect(await service.verify()).toMatchObject({ ok: true });
  });

  it('writes nothing for an invalid event and says what is wrong', async () => {
    const before = await stored();
    await expect(service.record({ action: 'Lead View', outcome: 'success' })).rejects.toThrow(
      new AuditException(expect.anything(), 'Invalid audit event: action must match /^[a-z][a-z0-9_.-]{1,63}$/'),
    );
    const nested = { customer: { phone: '+15550100' } } as unknown as AuditEvent['details'];
    await expect(service.record({ action: 'lead.view', outcome: 'success', details: nested })).rejects.toThrow(
      'details.customer must be a string, number, boolean or null (got object)',
    );
    expect(await stored()).toEqual(before);
    const head = await db.sql<Array<{ lastSeq: string }>>('SELECT CAST(last_seq AS CHAR) AS lastSeq FROM audit_chain_head');
    expect(head[0].lastSeq).toBe(String(before.length));
  });

  it('lists through the service and verifies through the CLI function', async () => {
    await service.record({ action: 'kms.rotate', outcome: 'success', details: { version: 2 } });
    const [latest] = await service.list({ limit: 1 });
    expect(latest).toMatchObject({ action: 'kms.rotate', actor: { type: 'system', id: null }, details: { version: 2 } });
    expect(await verifyAuditChain(dataSource)).toEqual({ ok: true, checked: Number(latest.seq), lastSeq: latest.seq });
  });
});
