import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '../../../../../test/utils/test-database';
import { Registration } from './registration.repository';
import { TypeormRegistrationRepository } from './typeorm-registration.repository';

describe('TypeormRegistrationRepository (real MariaDB)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repository: TypeormRegistrationRepository;
  const t0 = new Date('2025-11-21T10:00:00.000Z');
  const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  async function agent(): Promise<string> {
    const id = randomUUID();
    await db.sql(`INSERT INTO users (id, username, display_name, role, password_hash) VALUES (?, ?, 'Agent', 'agent', 'x')`, [id, `a-${id.slice(0, 8)}`]);
    return id;
  }

  function registration(userId: string, overrides: Partial<Registration> = {}): Registration {
    return {
      userId,
      contact: 'sip:agent7@192.0.2.10:52311;transport=tls',
      sourceAddress: '198.51.100.4:52311',
      transport: 'tls',
      userAgent: 'Linphone/5.3.1',
      registeredAt: t0,
      expiresAt: at(600),
      ...overrides,
    };
  }

  beforeAll(async () => {
    db = await createTestDatabase('sipreg');
    ds = await db.connect();
    repository = new TypeormRegistrationRepository(ds);
  });

  afterAll(async () => {
    await db.drop();
  });

  it('stores a binding and finds it until it expires', async () => {
    const userId = await agent();
    await repository.upsert(registration(userId));
    expect(await repository.findContact(userId, at(599))).toEqual(registration(userId));
    expect(await repository.findContact(userId, at(600))).toBeNull();
  });

  it('replaces the binding on re-registration', async () => {
    const userId = await agent();
    await repository.upsert(registration(userId));
    await repository.upsert(registration(userId, { contact: 'sip:agent7@192.0.2.99:5061;transport=tls', sourceAddress: '198.51.100.9:5061', registeredAt: at(300), expiresAt: at(900) }));
    const found = await repository.findContact(userId, at(700));
    expect(found).toMatchObject({ contact: 'sip:agent7@192.0.2.99:5061;transport=tls', sourceAddress: '198.51.100.9:5061', expiresAt: at(900) });
    expect(await db.sql<unknown[]>('SELECT 1 FROM sip_registrations WHERE user_id = ?', [userId])).toHaveLength(1);
  });

  it('removes a binding, but a stale contact’s un-REGISTER leaves the current one alone', async () => {
    const userId = await agent();
    await repository.upsert(registration(userId));
    expect(await repository.remove(userId, 'sip:agent7@192.0.2.55:5061;transport=tls')).toBe(false);
    expect(await repository.findContact(userId, at(1))).not.toBeNull();
    expect(await repository.remove(userId, 'sip:agent7@192.0.2.10:52311;transport=tls')).toBe(true);
    expect(await repository.findContact(userId, at(1))).toBeNull();
    await repository.upsert(registration(userId));
    expect(await repository.remove(userId)).toBe(true);
    expect(await repository.remove(userId)).toBe(false);
  });

  it('does not return another agent’s binding', async () => {
    const a = await agent();
    const b = await agent();
    await repository.upsert(registration(a));
    expect(await repository.findContact(b, at(1))).toBeNull();
  });

  it('expires old bindings in bulk', async () => {
    await db.sql('DELETE FROM sip_registrations');
    const a = await agent();
    const b = await agent();
    await repository.upsert(registration(a, { expiresAt: at(60) }));
    await repository.upsert(registration(b, { expiresAt: at(3600) }));
    expect(await repository.expire(at(61))).toBe(1);
    expect(await repository.findContact(b, at(61))).not.toBeNull();
  });
});
