import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leads and everything worked on them. Personal data is never stored in plaintext: every personal
 * field is an AES-256-GCM ciphertext (*_enc) under the data subject's own data key, which is itself
 * wrapped by the KMS. Look-ups and de-duplication use blind indexes (*_bidx, HMAC-SHA256). Erasing a
 * person destroys their key (wrapped_key NULL), so every copy of their fields, backups included,
 * becomes unreadable.
 */
export class Crm1763740800003 implements MigrationInterface {
  name = 'Crm1763740800003';

  async up(q: QueryRunner): Promise<void> {
    const table = (sql: string) => q.query(`${sql} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await table(`
      CREATE TABLE data_subjects (
        id CHAR(36) NOT NULL PRIMARY KEY,
        phone_bidx CHAR(64) NULL,
        key_id VARCHAR(64) NULL,
        key_version INT NULL,
        wrapped_key VARBINARY(255) NULL,
        erased_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_subject_phone (phone_bidx),
        KEY ix_subject_key_version (key_id, key_version)
      )`);

    await table(`
      CREATE TABLE lead_lists (
        id CHAR(36) NOT NULL PRIMARY KEY,
        campaign_id CHAR(36) NOT NULL,
        name VARCHAR(128) NOT NULL,
        default_region CHAR(2) NOT NULL,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY ix_lists_campaign (campaign_id),
        CONSTRAINT fk_lists_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE lead_imports (
        id CHAR(36) NOT NULL PRIMARY KEY,
        list_id CHAR(36) NOT NULL,
        campaign_id CHAR(36) NOT NULL,
        status ENUM('running','completed','failed','rolled_back') NOT NULL DEFAULT 'running',
        bytes_total BIGINT UNSIGNED NULL,
        bytes_done BIGINT UNSIGNED NOT NULL DEFAULT 0,
        rows_done INT UNSIGNED NOT NULL DEFAULT 0,
        accepted INT UNSIGNED NOT NULL DEFAULT 0,
        rejected INT UNSIGNED NOT NULL DEFAULT 0,
        duplicates INT UNSIGNED NOT NULL DEFAULT 0,
        dnc_excluded INT UNSIGNED NOT NULL DEFAULT 0,
        error VARCHAR(255) NULL,
        heartbeat_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        created_by CHAR(36) NULL,
        started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        finished_at DATETIME(3) NULL,
        KEY ix_imports_status (status, heartbeat_at),
        CONSTRAINT fk_imports_list FOREIGN KEY (list_id) REFERENCES lead_lists(id) ON DELETE CASCADE
      )`);

    // Reasons name the problem, never the value ("phone number is not valid for region GB").
    await table(`
      CREATE TABLE lead_import_issues (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        import_id CHAR(36) NOT NULL,
        line INT UNSIGNED NOT NULL,
        kind ENUM('rejected','duplicate','dnc') NOT NULL,
        reason VARCHAR(255) NOT NULL,
        KEY ix_issues_import (import_id, line),
        CONSTRAINT fk_issues_import FOREIGN KEY (import_id) REFERENCES lead_imports(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE leads (
        id CHAR(36) NOT NULL PRIMARY KEY,
        campaign_id CHAR(36) NOT NULL,
        list_id CHAR(36) NULL,
        import_id CHAR(36) NULL,
        subject_id CHAR(36) NOT NULL,
        phone_bidx CHAR(64) NOT NULL,
        email_bidx CHAR(64) NULL,
        first_name_enc VARBINARY(1024) NULL,
        last_name_enc VARBINARY(1024) NULL,
        phone_enc VARBINARY(255) NOT NULL,
        email_enc VARBINARY(1024) NULL,
        address_enc BLOB NULL,
        national_id_enc VARBINARY(255) NULL,
        notes_enc BLOB NULL,
        custom_enc BLOB NULL,
        phone_region CHAR(2) NULL,
        timezone VARCHAR(64) NOT NULL,
        status ENUM('new','reserved','in_progress','callback','retry','done','dnc','invalid','erased') NOT NULL DEFAULT 'new',
        attempts SMALLINT UNSIGNED NOT NULL DEFAULT 0,
        last_outcome VARCHAR(32) NULL,
        last_attempt_at DATETIME(3) NULL,
        next_attempt_at DATETIME(3) NULL,
        assigned_agent_id CHAR(36) NULL,
        consent_basis ENUM('consent','contract','legitimate_interest','legal_obligation') NULL,
        consent_source VARCHAR(128) NULL,
        consent_at DATETIME(3) NULL,
        consent_evidence_ref VARCHAR(255) NULL,
        legal_hold TINYINT(1) NOT NULL DEFAULT 0,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_leads_campaign_phone (campaign_id, phone_bidx),
        KEY ix_leads_subject (subject_id),
        KEY ix_leads_email (email_bidx),
        KEY ix_leads_import (import_id),
        KEY ix_leads_agent (assigned_agent_id),
        KEY ix_leads_dialable (campaign_id, status, next_attempt_at),
        CONSTRAINT fk_leads_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE,
        CONSTRAINT fk_leads_subject FOREIGN KEY (subject_id) REFERENCES data_subjects(id)
      )`);

    // campaign_key '' is the global list (a NULL would defeat the unique key).
    await table(`
      CREATE TABLE dnc_entries (
        id CHAR(36) NOT NULL PRIMARY KEY,
        campaign_key CHAR(36) NOT NULL DEFAULT '',
        phone_bidx CHAR(64) NOT NULL,
        phone_enc VARBINARY(255) NOT NULL,
        phone_key_version INT NOT NULL,
        source ENUM('manual','bulk','disposition','erasure') NOT NULL,
        reason VARCHAR(64) NULL,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_dnc (campaign_key, phone_bidx),
        KEY ix_dnc_phone (phone_bidx)
      )`);

    await table(`
      CREATE TABLE callbacks (
        id CHAR(36) NOT NULL PRIMARY KEY,
        lead_id CHAR(36) NOT NULL,
        campaign_id CHAR(36) NOT NULL,
        agent_id CHAR(36) NULL,
        due_at DATETIME(3) NOT NULL,
        status ENUM('pending','done','cancelled') NOT NULL DEFAULT 'pending',
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY ix_callbacks_due (campaign_id, status, due_at),
        KEY ix_callbacks_agent (agent_id, status),
        CONSTRAINT fk_callbacks_lead FOREIGN KEY (lead_id) REFERENCES leads(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE call_records (
        id CHAR(36) NOT NULL PRIMARY KEY,
        call_id VARCHAR(128) NOT NULL,
        lead_id CHAR(36) NULL,
        campaign_id CHAR(36) NOT NULL,
        agent_id CHAR(36) NULL,
        started_at DATETIME(3) NOT NULL,
        ring_at DATETIME(3) NULL,
        answered_at DATETIME(3) NULL,
        bridged_at DATETIME(3) NULL,
        ended_at DATETIME(3) NULL,
        outcome VARCHAR(32) NOT NULL,
        sip_status SMALLINT UNSIGNED NULL,
        trunk VARCHAR(64) NULL,
        recording_id CHAR(36) NULL,
        disposition_code VARCHAR(32) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_call_records_call (call_id),
        KEY ix_call_records_agent (agent_id, started_at),
        KEY ix_call_records_campaign (campaign_id, started_at),
        KEY ix_call_records_lead (lead_id)
      )`);

    await table(`
      CREATE TABLE lead_notes (
        id CHAR(36) NOT NULL PRIMARY KEY,
        lead_id CHAR(36) NOT NULL,
        author_id CHAR(36) NOT NULL,
        body_enc BLOB NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        KEY ix_notes_lead (lead_id),
        CONSTRAINT fk_notes_lead FOREIGN KEY (lead_id) REFERENCES leads(id) ON DELETE CASCADE
      )`);

    await table(`
      CREATE TABLE privacy_requests (
        id CHAR(36) NOT NULL PRIMARY KEY,
        kind ENUM('export','rectify','erase') NOT NULL,
        status ENUM('open','completed','rejected') NOT NULL DEFAULT 'open',
        subject_id CHAR(36) NULL,
        reference VARCHAR(128) NULL,
        requested_by CHAR(36) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        completed_at DATETIME(3) NULL,
        KEY ix_privacy_subject (subject_id)
      )`);

    await table(`
      CREATE TABLE user_activity (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        user_id CHAR(36) NOT NULL,
        kind ENUM('lead_read','reveal','export','recording_play') NOT NULL,
        at DATETIME(3) NOT NULL,
        KEY ix_activity_window (user_id, kind, at)
      )`);

    await table(`
      CREATE TABLE security_alerts (
        id CHAR(36) NOT NULL PRIMARY KEY,
        user_id CHAR(36) NOT NULL,
        kind VARCHAR(32) NOT NULL,
        observed INT UNSIGNED NOT NULL,
        threshold INT UNSIGNED NOT NULL,
        window_seconds INT UNSIGNED NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        resolved_at DATETIME(3) NULL,
        resolved_by CHAR(36) NULL,
        KEY ix_alerts_open (resolved_at, created_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'security_alerts',
      'user_activity',
      'privacy_requests',
      'lead_notes',
      'call_records',
      'callbacks',
      'dnc_entries',
      'leads',
      'lead_import_issues',
      'lead_imports',
      'lead_lists',
      'data_subjects',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${t}`);
    }
  }
}
