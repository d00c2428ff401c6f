import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recorded calls. The audio lives in encrypted files (one fresh data key per recording); this table
 * holds the metadata and the data key wrapped by the KMS. Destroying a recording's data key
 * (wrapped_key NULL) makes every copy of its file unreadable, backups included.
 *
 * recording_calls is the dialer's side of the contract: before or while a call is recorded, the
 * dialer says which campaign and agent it belongs to and which media leg is the customer's.
 * recording_pauses holds PCI pauses of live calls, copied into recordings.pauses at ingest.
 */
export class Recordings1763740800010 implements MigrationInterface {
  name = 'Recordings1763740800010';

  async up(q: QueryRunner): Promise<void> {
    const table = (sql: string) => q.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await table(`
      CREATE TABLE recording_calls (
        call_id VARCHAR(128) CHARACTER SET ascii NOT NULL PRIMARY KEY,
        campaign_id CHAR(36) NOT NULL,
        agent_user_id CHAR(36) NOT NULL,
        customer_ssrc INT UNSIGNED NULL,
        customer_address VARCHAR(64) CHARACTER SET ascii NULL,
        started_at DATETIME(3) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY ix_recording_calls_agent (agent_user_id)
      )`);

    await table(`
      CREATE TABLE recording_pauses (
        id CHAR(36) NOT NULL PRIMARY KEY,
        call_id VARCHAR(128) CHARACTER SET ascii NOT NULL,
        started_at DATETIME(3) NOT NULL,
        ended_at DATETIME(3) NULL,
        started_by CHAR(36) NULL,
        KEY ix_recording_pauses_call (call_id, started_at)
      )`);

    await table(`
      CREATE TABLE recordings (
        id CHAR(36) NOT NULL PRIMARY KEY,
        call_id VARCHAR(128) CHARACTER SET ascii NOT NULL,
        campaign_id CHAR(36) NOT NULL,
        agent_user_id CHAR(36) NOT NULL,
        status ENUM('pending','committed','unsupported_codec','failed','deleted') NOT NULL,
        codec VARCHAR(32) NULL,
        started_at DATETIME(3) NULL,
        duration_ms INT UNSIGNED NOT NULL DEFAULT 0,
        sample_rate INT UNSIGNED NOT NULL DEFAULT 8000,
        channels TINYINT UNSIGNED NOT NULL DEFAULT 2,
        plaintext_bytes BIGINT UNSIGNED NOT NULL DEFAULT 0,
        plaintext_sha256 BINARY(32) NULL,
        segment_bytes INT UNSIGNED NOT NULL DEFAULT 0,
        segment_count INT UNSIGNED NOT NULL DEFAULT 0,
        key_id VARCHAR(64) NULL,
        key_version INT NULL,
        wrapped_key VARBINARY(255) NULL,
        pauses TEXT NOT NULL,
        legal_hold TINYINT(1) NOT NULL DEFAULT 0,
        failure_reason VARCHAR(64) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        deleted_at DATETIME(3) NULL,
        UNIQUE KEY uq_recordings_call (call_id),
        KEY ix_recordings_campaign (campaign_id, created_at),
        KEY ix_recordings_agent (agent_user_id, created_at),
        KEY ix_recordings_key_version (key_id, key_version)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS recordings');
    await q.query('DROP TABLE IF EXISTS recording_pauses');
    await q.query('DROP TABLE IF EXISTS recording_calls');
  }
}
