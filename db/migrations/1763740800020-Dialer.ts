import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dialer's state, shared by every dialer instance through this database.
 *
 * - leads gain a reservation (which instance holds the lead and until when) and an abandon lockout.
 *   A lead is reserved with SELECT … FOR UPDATE SKIP LOCKED and status 'reserved', so two instances
 *   never dial it at once; a reservation whose instance stopped heartbeating is taken back.
 * - sip_trunks: carriers. Digest passwords are encrypted by the KMS (key 'dialer-secrets', the version
 *   stored beside them, the row id in the context); never plaintext.
 * - agent_sip_accounts: agents' softphone credentials, encrypted the same way (digest needs the secret).
 * - sip_registrations: where each agent's softphone can be reached now.
 * - agent_states / agent_state_events: the live state and its history (the console shows both).
 * - dialer_calls: one row per call, written as the call goes; it is the CDR and the outbox from which
 *   call records reach the CRM, and the source of the abandon rate.
 * - dialer_instances: heartbeats, so a crashed instance's leads and calls are recovered by the others.
 */
export class Dialer1763740800020 implements MigrationInterface {
  name = 'Dialer1763740800020';

  async up(q: QueryRunner): Promise<void> {
    const table = (sql: string) => q.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      ALTER TABLE leads
        ADD COLUMN reserved_by VARCHAR(64) CHARACTER SET ascii NULL AFTER assigned_agent_id,
        ADD COLUMN reserved_at DATETIME(3) NULL AFTER reserved_by,
        ADD COLUMN dial_locked_until DATETIME(3) NULL AFTER next_attempt_at,
        ADD KEY ix_leads_reserved (reserved_by)`);

    await table(`
      CREATE TABLE dialer_instances (
        id VARCHAR(64) CHARACTER SET ascii NOT NULL PRIMARY KEY,
        started_at DATETIME(3) NOT NULL,
        heartbeat_at DATETIME(3) NOT NULL,
        KEY ix_instances_heartbeat (heartbeat_at)
      )`);

    await table(`
      CREATE TABLE sip_trunks (
        id CHAR(36) NOT NULL PRIMARY KEY,
        name VARCHAR(64) NOT NULL,
        host VARCHAR(255) NOT NULL,
        port SMALLINT UNSIGNED NOT NULL,
        transport ENUM('tls','tcp','udp') NOT NULL DEFAULT 'tls',
        auth_username VARCHAR(128) NULL,
        auth_password_enc VARBINARY(512) NULL,
        auth_password_key_version INT NULL,
        caller_id_prefixes TEXT NOT NULL,
        caller_id_default VARCHAR(32) NULL,
        cps_limit DECIMAL(7,2) NOT NULL DEFAULT 1.00,
        max_concurrent INT UNSIGNED NOT NULL DEFAULT 10,
        priority SMALLINT UNSIGNED NOT NULL DEFAULT 100,
        enabled TINYINT(1) NOT NULL DEFAULT 1,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_trunks_name (name),
        KEY ix_trunks_priority (enabled, priority)
      )`);

    await table(`
      CREATE TABLE agent_sip_accounts (
        user_id CHAR(36) NOT NULL PRIMARY KEY,
        sip_username VARCHAR(64) CHARACTER SET ascii NOT NULL,
        secret_enc VARBINARY(512) NOT NULL,
        secret_key_version INT NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        rotated_at DATETIME(3) NULL,
        UNIQUE KEY uq_sip_username (sip_username),
        CONSTRAINT fk_sip_accounts_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE sip_registrations (
        user_id CHAR(36) NOT NULL PRIMARY KEY,
        contact VARCHAR(512) NOT NULL,
        source_address VARCHAR(64) CHARACTER SET ascii NOT NULL,
        transport VARCHAR(8) CHARACTER SET ascii NOT NULL,
        user_agent VARCHAR(255) NULL,
        registered_at DATETIME(3) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        KEY ix_registrations_expiry (expires_at),
        CONSTRAINT fk_registrations_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE agent_states (
        user_id CHAR(36) NOT NULL PRIMARY KEY,
        state ENUM('offline','ready','reserved','on_call','wrap_up','paused') NOT NULL DEFAULT 'offline',
        pause_reason VARCHAR(64) NULL,
        campaign_id CHAR(36) NULL,
        call_id VARCHAR(128) CHARACTER SET ascii NULL,
        wrap_up_until DATETIME(3) NULL,
        changed_at DATETIME(3) NOT NULL,
        KEY ix_agent_states_state (state, changed_at),
        CONSTRAINT fk_agent_states_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE agent_state_events (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        user_id CHAR(36) NOT NULL,
        state ENUM('offline','ready','reserved','on_call','wrap_up','paused') NOT NULL,
        pause_reason VARCHAR(64) NULL,
        campaign_id CHAR(36) NULL,
        call_id VARCHAR(128) CHARACTER SET ascii NULL,
        at DATETIME(3) NOT NULL,
        KEY ix_state_events_user (user_id, at),
        KEY ix_state_events_at (at)
      )`);

    await table(`
      CREATE TABLE dialer_calls (
        call_id VARCHAR(128) CHARACTER SET ascii NOT NULL PRIMARY KEY,
        instance_id VARCHAR(64) CHARACTER SET ascii NOT NULL,
        campaign_id CHAR(36) NOT NULL,
        lead_id CHAR(36) NULL,
        agent_id CHAR(36) NULL,
        dial_mode ENUM('preview','progressive','predictive') NOT NULL,
        trunk VARCHAR(64) NULL,
        state ENUM('dialing','ringing','answered','bridged','ended') NOT NULL DEFAULT 'dialing',
        started_at DATETIME(3) NOT NULL,
        ring_at DATETIME(3) NULL,
        answered_at DATETIME(3) NULL,
        bridged_at DATETIME(3) NULL,
        ended_at DATETIME(3) NULL,
        outcome VARCHAR(32) NULL,
        sip_status SMALLINT UNSIGNED NULL,
        recording_id CHAR(36) NULL,
        reported_at DATETIME(3) NULL,
        report_attempts INT UNSIGNED NOT NULL DEFAULT 0,
        KEY ix_dialer_calls_campaign (campaign_id, started_at),
        KEY ix_dialer_calls_outbox (reported_at, ended_at),
        KEY ix_dialer_calls_open (state, instance_id),
        KEY ix_dialer_calls_lead (lead_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'dialer_calls',
      'agent_state_events',
      'agent_states',
      'sip_registrations',
      'agent_sip_accounts',
      'sip_trunks',
      'dialer_instances',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
    await q.query(`
      ALTER TABLE leads DROP KEY ix_leads_reserved, DROP COLUMN dial_locked_until, DROP COLUMN reserved_at, DROP COLUMN reserved_by`);
  }
}
