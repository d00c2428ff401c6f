import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { KmsCiphertext } from '@app/crypto';
import { affectedRows } from '@app/database';
import {
  NewRecording,
  PauseSpan,
  RecordingRecord,
  RecordingRepository,
  RecordingScope,
  RecordingSearch,
  RecordingStatus,
  WrappedKeyRow,
} from './recording.repository';

interface RecordingRow {
  id: string;
  call_id: string;
  campaign_id: string;
  agent_user_id: string;
  status: RecordingStatus;
  codec: string | null;
  started_at: Date | null;
  duration_ms: number;
  sample_rate: number;
  channels: number;
  plaintext_bytes: string;
  plaintext_sha256: Buffer | null;
  segment_bytes: number;
  segment_count: number;
  key_id: string | null;
  key_version: number | null;
  wrapped_key: Buffer | null;
  pauses: string;
  legal_hold: number;
  failure_reason: string | null;
  created_at: Date;
  deleted_at: Date | null;
}

const COLUMNS = `r.id, r.call_id, r.campaign_id, r.agent_user_id, r.status, r.codec, r.started_at, r.duration_ms,
  r.sample_rate, r.channels, r.plaintext_bytes, r.plaintext_sha256, r.segment_bytes, r.segment_count, r.key_id,
  r.key_version, r.wrapped_key, r.pauses, r.legal_hold, r.failure_reason, r.created_at, r.deleted_at`;

@Injectable()
export class TypeormRecordingRepository extends RecordingRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async findById(id: string): Promise<RecordingRecord | null> {
    const rows: RecordingRow[] = await this.db.query(`SELECT ${COLUMNS} FROM recordings r WHERE r.id = ?`, [id]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async findByCallId(callId: string): Promise<RecordingRecord | null> {
    const rows: RecordingRow[] = await this.db.query(`SELECT ${COLUMNS} FROM recordings r WHERE r.call_id = ?`, [callId]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(r: NewRecording): Promise<boolean> {
    const result = await this.db.query(
      `INSERT IGNORE INTO recordings (id, call_id, campaign_id, agent_user_id, status, codec, started_at, duration_ms,
         sample_rate, channels, plaintext_bytes, plaintext_sha256, segment_bytes, segment_count, key_id, key_version,
         wrapped_key, pauses, failure_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        r.id,
        r.callId,
        r.campaignId,
        r.agentUserId,
        r.status,
        r.codec,
        r.startedAt,
        r.durationMs,
        r.sampleRate,
        r.channels,
        r.plaintextBytes,
        r.plaintextSha256,
        r.segmentBytes,
        r.segmentCount,
        r.wrappedKey?.keyId ?? null,
        r.wrappedKey?.version ?? null,
        r.wrappedKey?.ciphertext ?? null,
        JSON.stringify(r.pauses),
        r.failureReason,
      ],
    );
    return affectedRows(result) === 1;
  }

  async search(scope: RecordingScope, search: RecordingSearch): Promise<RecordingRecord[]> {
    const where: string[] = [`r.status <> 'deleted'`];
    const params: unknown[] = [];
    let join = '';
    if (scope.kind === 'managed_campaigns') {
      join = `JOIN campaign_members m ON m.campaign_id = r.campaign_id AND m.user_id = ? AND m.member_role = 'manager'`;
      params.push(scope.userId);
    } else if (scope.kind === 'own_calls') {
      where.push('r.agent_user_id = ?');
      params.push(scope.userId);
    }
    if (search.campaignId) {
      where.push('r.campaign_id = ?');
      params.push(search.campaignId);
    }
    if (search.agentUserId) {
      where.push('r.agent_user_id = ?');
      params.push(search.agentUserId);
    }
    if (search.from) {
      where.push('r.started_at >= ?');
      params.push(search.from);
    }
    if (search.to) {
      where.push('r.started_at < ?');
      params.push(search.to);
    }
    if (search.minDurationMs !== undefined) {
      where.push('r.duration_ms >= ?');
      params.push(search.minDurationMs);
    }
    if (search.maxDurationMs !== undefined) {
      where.push('r.duration_ms <= ?');
      params.push(search.maxDurationMs);
    }
    params.push(search.limit);
    const rows: RecordingRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM recordings r ${join} WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id LIMIT ?`,
      params,
    );
    return rows.map(toRecord);
  }

  async keyedIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.db.query('SELECT id FROM recordings WHERE id IN (?) AND wrapped_key IS NOT NULL', [[...ids]]);
    return new Set(rows.map((r) => r.id));
  }

  async findExpired(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT r.id FROM recordings r JOIN campaigns c ON c.id = r.campaign_id
        WHERE r.status <> 'deleted' AND r.legal_hold = 0
          AND r.created_at < ? - INTERVAL c.recording_retention_days DAY
        ORDER BY r.created_at LIMIT ?`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async destroy(id: string, now: Date): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE recordings SET wrapped_key = NULL, status = 'deleted', deleted_at = ?
        WHERE id = ? AND legal_hold = 0 AND status <> 'deleted'`,
      [now, id],
    );
    return affectedRows(result) === 1;
  }

  async setLegalHold(id: string, hold: boolean): Promise<boolean> {
    await this.db.query(`UPDATE recordings SET legal_hold = ? WHERE id = ? AND status <> 'deleted'`, [hold ? 1 : 0, id]);
    const rows: unknown[] = await this.db.query(`SELECT id FROM recordings WHERE id = ? AND status <> 'deleted'`, [id]);
    return rows.length === 1;
  }

  async findWrappedBelow(keyId: string, activeVersion: number, limit: number): Promise<WrappedKeyRow[]> {
    const rows: Array<{ id: string; key_id: string; key_version: number; wrapped_key: Buffer }> = await this.db.query(
      `SELECT id, key_id, key_version, wrapped_key FROM recordings
        WHERE key_id = ? AND key_version < ? AND wrapped_key IS NOT NULL ORDER BY id LIMIT ?`,
      [keyId, activeVersion, limit],
    );
    return rows.map((r) => ({ id: r.id, wrappedKey: { keyId: r.key_id, version: Number(r.key_version), ciphertext: r.wrapped_key } }));
  }

  async replaceWrappedKey(id: string, previous: KmsCiphertext, next: KmsCiphertext): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE recordings SET key_id = ?, key_version = ?, wrapped_key = ?
        WHERE id = ? AND key_id = ? AND key_version = ? AND wrapped_key = ?`,
      [next.keyId, next.version, next.ciphertext, id, previous.keyId, previous.version, previous.ciphertext],
    );
    return affectedRows(result) === 1;
  }

  async countWrappedUnder(keyId: string, version: number): Promise<number> {
    const rows: Array<{ n: string }> = await this.db.query(
      'SELECT COUNT(*) AS n FROM recordings WHERE key_id = ? AND key_version = ? AND wrapped_key IS NOT NULL',
      [keyId, version],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function toRecord(r: RecordingRow): RecordingRecord {
  return {
    id: r.id,
    callId: r.call_id,
    campaignId: r.campaign_id,
    agentUserId: r.agent_user_id,
    status: r.status,
    codec: r.codec,
    startedAt: r.started_at,
    durationMs: Number(r.duration_ms),
    sampleRate: Number(r.sample_rate),
    channels: Number(r.channels),
    plaintextBytes: Number(r.plaintext_bytes),
    plaintextSha256: r.plaintext_sha256,
    segmentBytes: Number(r.segment_bytes),
    segmentCount: Number(r.segment_count),
    wrappedKey:
      r.wrapped_key && r.key_id && r.key_version !== null
        ? { keyId: r.key_id, version: Number(r.key_version), ciphertext: r.wrapped_key }
        : null,
    pauses: JSON.parse(r.pauses) as PauseSpan[],
    legalHold: r.legal_hold === 1,
    failureReason: r.failure_reason,
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
  };
}
