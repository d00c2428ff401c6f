import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { KmsRepository } from '@app/crypto';
import { DialerException, DialerExceptionCode } from '../../dialer.exception';
import { DIALER_SECRETS_KEY } from '../dialer-secrets';
import { SealedSecret } from '../sealed-secret';
import { TrunkInput, TrunkPatch, TrunkRepository } from './trunk.repository';
import { Trunk, TrunkTransport } from './trunk.types';

/** The KMS context of a trunk's password: a ciphertext copied to another row or column does not open. */
export function trunkPasswordContext(trunkId: string): string {
  return `sip_trunks:${trunkId}:auth_password`;
}

interface Row {
  id: string;
  name: string;
  host: string;
  port: number;
  transport: TrunkTransport;
  auth_username: string | null;
  auth_password_enc: Buffer | null;
  auth_password_key_version: number | null;
  caller_id_prefixes: string;
  caller_id_default: string | null;
  cps_limit: string | number;
  max_concurrent: number;
  priority: number;
  enabled: number;
}

const COLUMNS = `id, name, host, port, transport, auth_username, auth_password_enc, auth_password_key_version,
  caller_id_prefixes, caller_id_default, cps_limit, max_concurrent, priority, enabled`;

function isDuplicate(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  return e.code === 'ER_DUP_ENTRY' || e.driverError?.code === 'ER_DUP_ENTRY';
}

export class TypeormTrunkRepository extends TrunkRepository {
  constructor(
    private readonly db: DataSource,
    private readonly kms: KmsRepository,
  ) {
    super();
  }

  async list(): Promise<Trunk[]> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM sip_trunks ORDER BY priority, name`);
    return rows.map((r) => this.toTrunk(r));
  }

  async listEnabled(): Promise<Trunk[]> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM sip_trunks WHERE enabled = 1 ORDER BY priority, name`);
    return rows.map((r) => this.toTrunk(r));
  }

  async findById(id: string): Promise<Trunk | null> {
    const rows: Row[] = await this.db.query(`SELECT ${COLUMNS} FROM sip_trunks WHERE id = ?`, [id]);
    return rows.length ? this.toTrunk(rows[0]) : null;
  }

  async create(input: TrunkInput, createdBy: string | null): Promise<Trunk> {
    await this.refuseTakenName(input.name, null);
    const id = randomUUID();
    const password = input.authPassword ? await this.seal(id, input.authPassword.reveal()) : null;
    try {
      await this.db.query(
        `INSERT INTO sip_trunks (id, name, host, port, transport, auth_username, auth_password_enc, auth_password_key_version,
           caller_id_prefixes, caller_id_default, cps_limit, max_concurrent, priority, enabled, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          input.name,
          input.host,
          input.port,
          input.transport,
          input.authUsername,
          password?.ciphertext ?? null,
          password?.version ?? null,
          JSON.stringify(input.callerIdPrefixes),
          input.callerIdDefault,
          input.cpsLimit,
          input.maxConcurrent,
          input.priority,
          input.enabled ? 1 : 0,
          createdBy,
        ],
      );
    } catch (error) {
      if (isDuplicate(error)) throw new DialerException(DialerExceptionCode.TrunkNameTaken, 'A trunk with that name exists');
      throw error;
    }
    return (await this.findById(id))!;
  }

  async update(id: string, patch: TrunkPatch): Promise<Trunk | null> {
    const sets: string[] = [];
    const values: unknown[] = [];
    const set = (column: string, value: unknown) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.name !== undefined) {
      await this.refuseTakenName(patch.name, id);
      set('name', patch.name);
    }
    if (patch.host !== undefined) set('host', patch.host);
    if (patch.port !== undefined) set('port', patch.port);
    if (patch.transport !== undefined) set('transport', patch.transport);
    if (patch.authUsername !== undefined) set('auth_username', patch.authUsername);
    if (patch.authPassword !== undefined) {
      const sealed = patch.authPassword ? await this.seal(id, patch.authPassword.reveal()) : null;
      set('auth_password_enc', sealed?.ciphertext ?? null);
      set('auth_password_key_version', sealed?.version ?? null);
    }
    if (patch.callerIdPrefixes !== undefined) set('caller_id_prefixes', JSON.stringify(patch.callerIdPrefixes));
    if (patch.callerIdDefault !== undefined) set('caller_id_default', patch.callerIdDefault);
    if (patch.cpsLimit !== undefined) set('cps_limit', patch.cpsLimit);
    if (patch.maxConcurrent !== undefined) set('max_concurrent', patch.maxConcurrent);
    if (patch.priority !== undefined) set('priority', patch.priority);
    if (patch.enabled !== undefined) set('enabled', patch.enabled ? 1 : 0);
    if (sets.length > 0) {
      try {
        await this.db.query(`UPDATE sip_trunks SET ${sets.join(', ')} WHERE id = ?`, [...values, id]);
      } catch (error) {
        if (isDuplicate(error)) throw new DialerException(DialerExceptionCode.TrunkNameTaken, 'A trunk with that name exists');
        throw error;
      }
    }
    return this.findById(id);
  }

  async delete(id: string): Promise<boolean> {
    return affectedRows(await this.db.query('DELETE FROM sip_trunks WHERE id = ?', [id])) === 1;
  }

  /**
   * Checked before writing because TypeORM logs a failed query with its parameters (ciphertexts
   * included); the unique key still decides a race, and that error is mapped the same way.
   */
  private async refuseTakenName(name: string, exceptId: string | null): Promise<void> {
    const rows: unknown[] = await this.db.query('SELECT 1 FROM sip_trunks WHERE name = ? AND id <> ?', [name, exceptId ?? '']);
    if (rows.length > 0) throw new DialerException(DialerExceptionCode.TrunkNameTaken, 'A trunk with that name exists');
  }

  private async seal(id: string, password: string): Promise<{ ciphertext: Buffer; version: number }> {
    const encrypted = await this.kms.encrypt(DIALER_SECRETS_KEY, Buffer.from(password, 'utf8'), trunkPasswordContext(id));
    return { ciphertext: encrypted.ciphertext, version: encrypted.version };
  }

  private toTrunk(row: Row): Trunk {
    const { auth_password_enc: ciphertext, auth_password_key_version: version } = row;
    return {
      id: row.id,
      name: row.name,
      host: row.host,
      port: Number(row.port),
      transport: row.transport,
      authUsername: row.auth_username,
      authPassword:
        ciphertext && version !== null
          ? new SealedSecret(async () => {
              const plain = await this.kms.decrypt({ keyId: DIALER_SECRETS_KEY, version: Number(version), ciphertext }, trunkPasswordContext(row.id));
              try {
                return plain.toString('utf8');
              } finally {
                plain.fill(0);
              }
            })
          : null,
      callerIdPrefixes: parsePrefixes(row.caller_id_prefixes),
      callerIdDefault: row.caller_id_default,
      cpsLimit: Number(row.cps_limit),
      maxConcurrent: Number(row.max_concurrent),
      priority: Number(row.priority),
      enabled: Number(row.enabled) === 1,
    };
  }
}

function parsePrefixes(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((p): p is string => typeof p === 'string') : [];
  } catch {
    return [];
  }
}
