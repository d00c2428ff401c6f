import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { DataSource } from 'typeorm';
import { LocalKmsRepository } from '@app/crypto';
import { createTestDatabase, TestDatabase } from '../../../../../test/utils/test-database';
import { DialerExceptionCode } from '../../dialer.exception';
import { TypeormSipAccountRepository } from './typeorm-sip-account.repository';

describe('TypeormSipAccountRepository (real MariaDB)', () => {
  let db: TestDatabase;
  let ds: DataSource;
  let repository: TypeormSipAccountRepository;

  async function user(role = 'agent', status = 'active'): Promise<string> {
    const id = randomUUID();
    await db.sql(`INSERT INTO users (id, username, display_name, role, password_hash, status) VALUES (?, ?, 'Test', ?, 'x', ?)`, [
      id,
      `u-${id.slice(0, 8)}`,
      role,
      status,
    ]);
    return id;
  }

  beforeAll(async () => {
    db = await createTestDatabase('sipacct');
    ds = await db.connect();
    repository = new TypeormSipAccountRepository(ds, new LocalKmsRepository(randomBytes(32), ds));
  });

  afterAll(async () => {
    await db.drop();
  });

  it('creates an account, returns the secret once, and stores it only encrypted', async () => {
    const userId = await user();
    const secret = await repository.create(userId, 'agent-1001');
    expect(secret.reveal()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(String(secret)).toBe('[redacted]');

    const account = await repository.findByUsername('agent-1001');
    expect(account).toMatchObject({ userId, username: 'agent-1001', role: 'agent', active: true, frozen: false });
    expect(inspect(account)).not.toContain(secret.reveal());
    expect(await account!.secret.reveal()).toBe(secret.reveal());

    const [row] = await db.sql<{ enc: Buffer }[]>('SELECT secret_enc AS enc FROM agent_sip_accounts WHERE user_id = ?', [userId]);
    expect(row.enc.toString('latin1')).not.toContain(secret.reveal());
    expect(await repository.findByUserId(userId)).toMatchObject({ userId, username: 'agent-1001', rotatedAt: null });
  });

  it('tells a disabled or frozen user and the role apart', async () => {
    const disabled = await user('agent', 'disabled');
    await repository.create(disabled, 'agent-disabled');
    expect(await repository.findByUsername('agent-disabled')).toMatchObject({ active: false, frozen: false });

    const frozen = await user();
    await repository.create(frozen, 'agent-frozen');
    await db.sql(`UPDATE users SET frozen_at = UTC_TIMESTAMP(3), frozen_reason = 'anomaly' WHERE id = ?`, [frozen]);
    expect(await repository.findByUsername('agent-frozen')).toMatchObject({ active: true, frozen: true });

    const manager = await user('manager');
    await repository.create(manager, 'manager-1');
    expect(await repository.findByUsername('manager-1')).toMatchObject({ role: 'manager' });
  });

  it('refuses a taken username, a second account for a user, a missing user and a malformed username', async () => {
    const a = await user();
    await repository.create(a, 'agent-2001');
    const b = await user();
    await expect(repository.create(b, 'agent-2001')).rejects.toMatchObject({ code: DialerExceptionCode.SipUsernameTaken });
    await expect(repository.create(a, 'agent-2002')).rejects.toMatchObject({ code: DialerExceptionCode.SipUsernameTaken });
    await expect(repository.create(randomUUID(), 'agent-2003')).rejects.toMatchObject({ code: DialerExceptionCode.NotFound });
    await expect(repository.create(b, 'bad name;x')).rejects.toThrow(RangeError);
  });

  it('rotates to a new secret; the old one no longer matches', async () => {
    const userId = await user();
    const first = await repository.create(userId, 'agent-3001');
    const second = await repository.rotate(userId);
    expect(second!.reveal()).not.toBe(first.reveal());
    expect(await (await repository.findByUsername('agent-3001'))!.secret.reveal()).toBe(second!.reveal());
    expect((await repository.findByUserId(userId))!.rotatedAt).toBeInstanceOf(Date);
    expect(await repository.rotate(randomUUID())).toBeNull();
  });

  it('binds each secret to its user: a ciphertext copied to another account does not open', async () => {
    const a = await user();
    const b = await user();
    await repository.create(a, 'agent-4001');
    await repository.create(b, 'agent-4002');
    await db.sql(
      'UPDATE agent_sip_accounts t JOIN agent_sip_accounts s ON s.user_id = ? SET t.secret_enc = s.secret_enc WHERE t.user_id = ?',
      [a, b],
    );
    await expect((await repository.findByUsername('agent-4002'))!.secret.reveal()).rejects.toThrow();
  });

  it('finds nothing for unknown or malformed usernames, and deletes', async () => {
    expect(await repository.findByUsername('nobody-here')).toBeNull();
    expect(await repository.findByUsername("x' OR '1'='1")).toBeNull();
    const userId = await user();
    await repository.create(userId, 'agent-5001');
    expect(await repository.delete(userId)).toBe(true);
    expect(await repository.findByUsername('agent-5001')).toBeNull();
    expect(await repository.delete(userId)).toBe(false);
  });
});
