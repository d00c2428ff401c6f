import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { DataSource } from 'typeorm';
import { Secret } from '@app/config';
import { LocalKmsRepository } from '@app/crypto';
import { createTestDatabase, TestDatabase } from '../../../../../test/utils/test-database';
import { DialerException, DialerExceptionCode } from '../../dialer.exception';
import { TrunkInput } from './trunk.repository';
import { TypeormTrunkRepository } from './typeorm-trunk.repository';

function input(overrides: Partial<TrunkInput> = {}): TrunkInput {
  return {
    name: 'carrier-a',
    host: 'sip.carrier-a.example',
    port: 5061,
    transport: 'tls',
    authUsername: 'acct-1001',
    authPassword: new Secret('s3cret-trunk-password'),
    callerIdPrefixes: ['+4930', '+4940'],
    callerIdDefault: '+493012345678',
    cpsLimit: 2.5,
    maxConcurrent: 30,
    priority: 10,
    enabled: true,
    ...overrides,
  };
}

describe('TypeormTrunkRepository (real MariaDB)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repository: TypeormTrunkRepository;

  beforeAll(async () => {
    db = await createTestDatabase('trunks');
    ds = await db.connect();
    repository = new TypeormTrunkRepository(ds, new LocalKmsRepository(randomBytes(32), ds));
  });

  afterAll(async () => {
    await db.drop();
  });

  beforeEach(async () => {
    await db.sql('DELETE FROM sip_trunks');
  });

  it('creates a trunk and reads it back, the password stored encrypted and opened only on demand', async () => {
    const trunk = await repository.create(input(), null);
    expect(trunk).toMatchObject({
      name: 'carrier-a',
      host: 'sip.carrier-a.example',
      port: 5061,
      transport: 'tls',
      authUsername: 'acct-1001',
      callerIdPrefixes: ['+4930', '+4940'],
      callerIdDefault: '+493012345678',
      cpsLimit: 2.5,
      maxConcurrent: 30,
      priority: 10,
      enabled: true,
    });
    expect(String(trunk.authPassword)).toBe('[sealed]');
    expect(JSON.stringify(trunk)).not.toContain('s3cret');
    expect(inspect(trunk)).not.toContain('s3cret');
    expect(await trunk.authPassword!.reveal()).toBe('s3cret-trunk-password');

    const [row] = await db.sql<{ enc: Buffer; version: number }[]>(
      'SELECT auth_password_enc AS enc, auth_password_key_version AS version FROM sip_trunks WHERE id = ?',
      [trunk.id],
    );
    expect(row.version).toBe(1);
    expect(row.enc.toString('latin1')).not.toContain('s3cret');
  });

  it('binds the ciphertext to its trunk: copied to another row it does not open', async () => {
    const a = await repository.create(input(), null);
    const b = await repository.create(input({ name: 'carrier-b', authPassword: new Secret('other') }), null);
    await db.sql('UPDATE sip_trunks t JOIN sip_trunks s ON s.id = ? SET t.auth_password_enc = s.auth_password_enc WHERE t.id = ?', [a.id, b.id]);
    const copied = await repository.findById(b.id);
    await expect(copied!.authPassword!.reveal()).rejects.toThrow();
  });

  it('creates a trunk without credentials', async () => {
    const trunk = await repository.create(input({ authUsername: null, authPassword: null }), null);
    expect(trunk.authPassword).toBeNull();
  });

  it('refuses a second trunk with the same name', async () => {
    await repository.create(input(), null);
    const again = repository.create(input(), null);
    await expect(again).rejects.toBeInstanceOf(DialerException);
    await expect(again).rejects.toMatchObject({ code: DialerExceptionCode.TrunkNameTaken });
  });

  it('updates fields, keeps the password unless given, replaces or removes it', async () => {
    const trunk = await repository.create(input(), null);
    const renamed = await repository.update(trunk.id, { name: 'carrier-a2', enabled: false, callerIdPrefixes: ['+44'], cpsLimit: 0.5 });
    expect(renamed).toMatchObject({ name: 'carrier-a2', enabled: false, callerIdPrefixes: ['+44'], cpsLimit: 0.5 });
    expect(await renamed!.authPassword!.reveal()).toBe('s3cret-trunk-password');

    const rotated = await repository.update(trunk.id, { authPassword: new Secret('new-password') });
    expect(await rotated!.authPassword!.reveal()).toBe('new-password');

    const removed = await repository.update(trunk.id, { authPassword: null });
    expect(removed!.authPassword).toBeNull();

    expect(await repository.update('00000000-0000-0000-0000-000000000000', { enabled: true })).toBeNull();
  });

  it('refuses a rename to a taken name', async () => {
    await repository.create(input(), null);
    const other = await repository.create(input({ name: 'carrier-b' }), null);
    await expect(repository.update(other.id, { name: 'carrier-a' })).rejects.toMatchObject({ code: DialerExceptionCode.TrunkNameTaken });
  });

  it('lists by priority then name, and only enabled ones for dialling', async () => {
    await repository.create(input({ name: 'z-first', priority: 1 }), null);
    await repository.create(input({ name: 'b', priority: 5 }), null);
    await repository.create(input({ name: 'a', priority: 5 }), null);
    await repository.create(input({ name: 'off', priority: 0, enabled: false }), null);
    expect((await repository.list()).map((t) => t.name)).toEqual(['off', 'z-first', 'a', 'b']);
    expect((await repository.listEnabled()).map((t) => t.name)).toEqual(['z-first', 'a', 'b']);
  });

  it('deletes', async () => {
    const trunk = await repository.create(input(), null);
    expect(await repository.delete(trunk.id)).toBe(true);
    expect(await repository.delete(trunk.id)).toBe(false);
    expect(await repository.findById(trunk.id)).toBeNull();
  });
});
