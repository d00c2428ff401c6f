import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Secret } from '@app/config';
import { KmsRepository } from '@app/crypto';
import { affectedRows } from '@app/database';
import { DialerException, DialerExceptionCode } from '../../dialer.exception';
import { DIALER_SECRETS_KEY } from '../dialer-secrets';
import { SealedSecret } from '../sealed-secret';
import { SIP_USERNAME, SipAccount, SipAccountRepository, SipAccountSummary } from './sip-account.repository';

export function sipSecretContext(userId: string): string {
  return `agent_sip_accounts:${userId}:secret`;
}

/** 24 random bytes, base64url: 32 characters, 192 bits; fits every phone's password field. */
function generateSecret(): Secret<string> {
  return new Secret(randomBytes(24).toString('base64url'));
}

interface AccountRow {
  user_id: string;
  sip_username: string;
  secret_enc: Buffer;
  secret_key_version: number;
  role: string;
  status: string;
  frozen_at: Date | null;
}

export class TypeormSipAccountRepository extends SipAccountRepository {
  constructor(
    private readonly db: DataSource,
    private readonly kms: KmsRepository,
  ) {
    super();
  }

  async findByUsername(username: string): Promise<SipAccount | null> {
    if (!SIP_USERNAME.test(username)) return null;
    const rows: AccountRow[] = await this.db.query(
      `SELECT a.user_id, a.sip_username, a.secret_enc, a.secret_key_version, u.role, u.status, u.frozen_at
         FROM agent_sip_accounts a JOIN users u ON u.id = a.user_id
        WHERE a.sip_username = ?`,
      [username],
    );
    if (rows.length === 0) return null;
    const row = rows[0];
    return {
      userId: row.user_id,
      username: row.sip_username,
      secret: new SealedSecret(async () => {
        const plain = await this.kms.decrypt(
          { keyId: DIALER_SECRETS_KEY, version: Number(row.secret_key_version), ciphertext: row.secret_enc },
          sipSecretContext(row.user_id),
        );
        try {
          return plain.toString('utf8');
        } finally {
          plain.fill(0);
        }
      }),
      role: row.role,
      active: row.status === 'active',
      frozen: row.frozen_at !== null,
    };
  }

  async findByUserId(userId: string): Promise<SipAccountSummary | null> {
    const rows: { user_id: string; sip_username: string; created_at: Date; rotated_at: Date | null }[] = await this.db.query(
      'SELECT user_id, sip_username, created_at, rotated_at FROM agent_sip_accounts WHERE user_id = ?',
      [userId],
    );
    if (rows.length === 0) return null;
    return { userId: rows[0].user_id, username: rows[0].sip_username, createdAt: rows[0].created_at, rotatedAt: rows[0].rotated_at };
  }

  async create(userId: string, username: string): Promise<Secret<string>> {
    if (!SIP_USERNAME.test(username)) throw new RangeError('SIP usernames are 3 to 64 letters, digits, dots, dashes or underscores');
    // Checked first because TypeORM logs a failed query with its parameters; the unique keys still
    // decide a race, mapped the same way.
    const taken: unknown[] = await this.db.query('SELECT 1 FROM agent_sip_accounts WHERE sip_username = ? OR user_id = ?', [username, userId]);
    if (taken.length > 0) throw new DialerException(DialerExceptionCode.SipUsernameTaken, 'That SIP username is taken, or the user has an account');
    const secret = generateSecret();
    const sealed = await this.kms.encrypt(DIALER_SECRETS_KEY, Buffer.from(secret.reveal(), 'utf8'), sipSecretContext(userId));
    let inserted: number;
    try {
      inserted = affectedRows(
        await this.db.query(
          `INSERT INTO agent_sip_accounts (user_id, sip_username, secret_enc, secret_key_version)
           SELECT id, ?, ?, ? FROM users WHERE id = ?`,
          [username, sealed.ciphertext, sealed.version, userId],
        ),
      );
    } catch (error) {
      const code = (error as { code?: string; driverError?: { code?: string } }).code ?? (error as { driverError?: { code?: string } }).driverError?.code;
      if (code === 'ER_DUP_ENTRY') throw new DialerException(DialerExceptionCode.SipUsernameTaken, 'That SIP username is taken, or the user has an account');
      throw error;
    }
    if (inserted !== 1) throw new DialerException(DialerExceptionCode.NotFound, 'No such user');
    return secret;
  }

  async rotate(userId: string): Promise<Secret<string> | null> {
    const secret = generateSecret();
    const sealed = await this.kms.encrypt(DIALER_SECRETS_KEY, Buffer.from(secret.reveal(), 'utf8'), sipSecretContext(userId));
    const result = await this.db.query(
      'UPDATE agent_sip_accounts SET secret_enc = ?, secret_key_version = ?, rotated_at = UTC_TIMESTAMP(3) WHERE user_id = ?',
      [sealed.ciphertext, sealed.version, userId],
    );
    return affectedRows(result) === 1 ? secret : null;
  }

  async delete(userId: string): Promise<boolean> {
    return affectedRows(await this.db.query('DELETE FROM agent_sip_accounts WHERE user_id = ?', [userId])) === 1;
  }
}
