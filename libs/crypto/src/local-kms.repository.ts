import { hkdfSync, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { affectedRows as affected } from '@app/database';
import { open, seal } from './aead';
import { KmsCiphertext, KmsKeyVersion, KmsRepository } from './kms.repository';

export class KmsException extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KmsException';
  }
}

interface KeyVersionRow {
  key_id: string;
  version: number;
  state: KmsKeyVersion['state'];
  created_at: Date;
  retired_at: Date | null;
}

const ACTIVE_CACHE_MS = 5_000;

/**
 * The platform's own KMS. Each key version's key-encryption key is derived with HKDF-SHA256 from the
 * master material and (key id, version); the database holds only which versions exist and their
 * state, never key material. Retired versions no longer decrypt.
 */
export class LocalKmsRepository extends KmsRepository {
  private readonly keks = new Map<string, Buffer>();
  private readonly active = new Map<string, { version: number; at: number }>();
  private readonly states = new Map<string, { state: KmsKeyVersion['state'] | null; at: number }>();

  constructor(
    private readonly masterKey: Buffer,
    private readonly dataSource: DataSource,
    private readonly now: () => number = Date.now,
  ) {
    super();
    if (masterKey.length < 32) throw new KmsException('master key must be at least 32 bytes');
  }

  async encrypt(keyId: string, plaintext: Buffer, context: string): Promise<KmsCiphertext> {
    const version = await this.activeVersion(keyId);
    return { keyId, version, ciphertext: seal(this.kek(keyId, version), plaintext, aad(keyId, version, context)) };
  }

  async decrypt(ciphertext: KmsCiphertext, context: string): Promise<Buffer> {
    const state = await this.stateOf(ciphertext.keyId, ciphertext.version);
    if (state === null || state === 'retired') {
      throw new KmsException(`key ${ciphertext.keyId} version ${ciphertext.version} is not usable`);
    }
    const { keyId, version } = ciphertext;
    return open(this.kek(keyId, version), ciphertext.ciphertext, aad(keyId, version, context));
  }

  async generateDataKey(keyId: string, context: string): Promise<{ plaintext: Buffer; wrapped: KmsCiphertext }> {
    const plaintext = randomBytes(32);
    return { plaintext, wrapped: await this.encrypt(keyId, plaintext, context) };
  }

  async reencrypt(ciphertext: KmsCiphertext, context: string): Promise<KmsCiphertext> {
    const plaintext = await this.decrypt(ciphertext, context);
    try {
      return await this.encrypt(ciphertext.keyId, plaintext, context);
    } finally {
      plaintext.fill(0);
    }
  }

  async createKeyVersion(keyId: string): Promise<KmsKeyVersion> {
    const created = await this.dataSource.transaction(async (em) => {
      const rows: KeyVersionRow[] = await em.query(
        'SELECT key_id, version, state, created_at, retired_at FROM kms_key_versions WHERE key_id = ? FOR UPDATE',
        [keyId],
      );
      const next = rows.reduce((max, r) => Math.max(max, Number(r.version)), 0) + 1;
      await em.query(`UPDATE kms_key_versions SET state = 'enabled' WHERE key_id = ? AND state = 'active'`, [keyId]);
      await em.query(`INSERT INTO kms_key_versions (key_id, version, state) VALUES (?, ?, 'active')`, [keyId, next]);
      return next;
    });
    this.active.delete(keyId);
    for (const name of [...this.states.keys()]) if (name.startsWith(`${keyId}:`)) this.states.delete(name);
    const versions = await this.listKeyVersions(keyId);
    return versions.find((v) => v.version === created)!;
  }

  async retireKeyVersion(keyId: string, version: number): Promise<void> {
    const result = await this.dataSource.query(
      `UPDATE kms_key_versions SET state = 'retired', retired_at = UTC_TIMESTAMP(3)
        WHERE key_id = ? AND version = ? AND state = 'enabled'`,
      [keyId, version],
    );
    if (affected(result) !== 1) {
      throw new KmsException(`key ${keyId} version ${version} cannot be retired (unknown, active or already retired)`);
    }
    this.keks.delete(`${keyId}:${version}`);
    this.states.delete(`${keyId}:${version}`);
  }

  async listKeyVersions(keyId: string): Promise<KmsKeyVersion[]> {
    const rows: KeyVersionRow[] = await this.dataSource.query(
      'SELECT key_id, version, state, created_at, retired_at FROM kms_key_versions WHERE key_id = ? ORDER BY version',
      [keyId],
    );
    return rows.map((r) => ({
      keyId: r.key_id,
      version: Number(r.version),
      state: r.state,
      createdAt: r.created_at,
      retiredAt: r.retired_at,
    }));
  }

  private async activeVersion(keyId: string): Promise<number> {
    const cached = this.active.get(keyId);
    if (cached && this.now() - cached.at < ACTIVE_CACHE_MS) return cached.version;
    let rows: KeyVersionRow[] = await this.dataSource.query(
      `SELECT version FROM kms_key_versions WHERE key_id = ? AND state = 'active'`,
      [keyId],
    );
    if (rows.length === 0) {
      // First use of a key: version 1. INSERT IGNORE lets concurrent first uses agree.
      await this.dataSource.query(`INSERT IGNORE INTO kms_key_versions (key_id, version, state) VALUES (?, 1, 'active')`, [
        keyId,
      ]);
      rows = await this.dataSource.query(`SELECT version FROM kms_key_versions WHERE key_id = ? AND state = 'active'`, [
        keyId,
      ]);
    }
    if (rows.length !== 1) throw new KmsException(`key ${keyId} has no single active version`);
    const version = Number(rows[0].version);
    this.active.set(keyId, { version, at: this.now() });
    return version;
  }

  /**
   * A version's state, cached per process for a few seconds: every unwrap asked the database, one
   * query per lead read and per person imported. Retiring in this process takes effect at once; in
   * another instance within ACTIVE_CACHE_MS.
   */
  private async stateOf(keyId: string, version: number): Promise<KmsKeyVersion['state'] | null> {
    const name = `${keyId}:${version}`;
    const cached = this.states.get(name);
    if (cached && this.now() - cached.at < ACTIVE_CACHE_MS) return cached.state;
    const rows: KeyVersionRow[] = await this.dataSource.query(
      'SELECT state FROM kms_key_versions WHERE key_id = ? AND version = ?',
      [keyId, version],
    );
    const state = rows[0]?.state ?? null;
    this.states.set(name, { state, at: this.now() });
    return state;
  }

  private kek(keyId: string, version: number): Buffer {
    const name = `${keyId}:${version}`;
    let key = this.keks.get(name);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.masterKey, 'callcenter-kms-v1', `kek:${name}`, 32));
      this.keks.set(name, key);
    }
    return key;
  }
}

function aad(keyId: string, version: number, context: string): string {
  return `${keyId}\u0000${version}\u0000${context}`;
}
