import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity, sessions, brute-force throttling, role IP allowlists, the local KMS's key versions and
 * the hash-chained audit log.
 */
export class Foundation1763740800000 implements MigrationInterface {
  name = 'Foundation1763740800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id CHAR(36) NOT NULL PRIMARY KEY,
        username VARCHAR(64) NOT NULL,
        display_name VARCHAR(128) NOT NULL,
        role ENUM('admin','manager','agent','qa') NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        status ENUM('active','disabled') NOT NULL DEFAULT 'active',
        frozen_at DATETIME(3) NULL,
        frozen_reason VARCHAR(255) NULL,
        mfa_secret_ciphertext VARBINARY(512) NULL,
        mfa_key_id VARCHAR(64) NULL,
        mfa_key_version INT NULL,
        mfa_enabled_at DATETIME(3) NULL,
        mfa_last_step BIGINT NULL,
        mfa_pending_ciphertext VARBINARY(512) NULL,
        mfa_pending_key_id VARCHAR(64) NULL,
        mfa_pending_key_version INT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_users_username (username)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE mfa_recovery_codes (
        id CHAR(36) NOT NULL PRIMARY KEY,
        user_id CHAR(36) NOT NULL,
        code_hash CHAR(64) NOT NULL,
        used_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        UNIQUE KEY uq_recovery_user_hash (user_id, code_hash),
        CONSTRAINT fk_recovery_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE sessions (
        id CHAR(36) NOT NULL PRIMARY KEY,
        user_id CHAR(36) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        last_seen_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        expires_at DATETIME(3) NOT NULL,
        revoked_at DATETIME(3) NULL,
        revoked_reason VARCHAR(64) NULL,
        reauth_at DATETIME(3) NULL,
        source_ip VARCHAR(45) NULL,
        user_agent VARCHAR(255) NULL,
        KEY ix_sessions_user (user_id, revoked_at),
        CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id CHAR(36) NOT NULL PRIMARY KEY,
        session_id CHAR(36) NOT NULL,
        token_hash CHAR(64) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        expires_at DATETIME(3) NOT NULL,
        rotated_at DATETIME(3) NULL,
        UNIQUE KEY uq_refresh_hash (token_hash),
        KEY ix_refresh_session (session_id),
        CONSTRAINT fk_refresh_session FOREIGN KEY (session_id) REFERENCES sessions(id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // subject is a SHA-256 of the normalised username or the source IP: attempted usernames
    // (sometimes a password typed in the wrong box) are never stored.
    await q.query(`
      CREATE TABLE auth_throttle (
        scope ENUM('account','ip') NOT NULL,
        subject CHAR(64) NOT NULL,
        consecutive_failures INT NOT NULL DEFAULT 0,
        locked_until DATETIME(3) NULL,
        window_started_at DATETIME(3) NOT NULL,
        window_failures INT NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (scope, subject)
      ) ENGINE=InnoDB DEFAULT CHARSET=ascii`);

    await q.query(`
      CREATE TABLE role_ip_rules (
        id CHAR(36) NOT NULL PRIMARY KEY,
        role ENUM('admin','manager','agent','qa') NOT NULL,
        cidr VARCHAR(64) NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        created_by CHAR(36) NULL,
        UNIQUE KEY uq_role_cidr (role, cidr)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE kms_key_versions (
        key_id VARCHAR(64) NOT NULL,
        version INT NOT NULL,
        state ENUM('active','enabled','retired') NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        retired_at DATETIME(3) NULL,
        PRIMARY KEY (key_id, version)
      ) ENGINE=InnoDB DEFAULT CHARSET=ascii`);

    await q.query(`
      CREATE TABLE audit_log (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
        seq BIGINT UNSIGNED NOT NULL,
        occurred_at DATETIME(3) NOT NULL,
        actor_type VARCHAR(16) NOT NULL,
        actor_id VARCHAR(64) NULL,
        actor_role VARCHAR(32) NULL,
        action VARCHAR(64) NOT NULL,
        target_type VARCHAR(64) NULL,
        target_id VARCHAR(128) NULL,
        outcome VARCHAR(16) NOT NULL,
        source_ip VARCHAR(45) NULL,
        request_id VARCHAR(64) NULL,
        details TEXT NULL,
        prev_hash CHAR(64) NOT NULL,
        hash CHAR(64) NOT NULL,
        UNIQUE KEY uq_audit_seq (seq),
        KEY ix_audit_time (occurred_at),
        KEY ix_audit_actor (actor_id, occurred_at),
        KEY ix_audit_action (action, occurred_at)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    // The chain's head: one row, locked FOR UPDATE by every append, so appends from any number of
    // requests and app instances form a single chain; verify also compares it with the last entry.
    await q.query(`
      CREATE TABLE audit_chain_head (
        id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
        last_seq BIGINT UNSIGNED NOT NULL,
        last_hash CHAR(64) NOT NULL,
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
      ) ENGINE=InnoDB DEFAULT CHARSET=ascii`);
    await q.query(`INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, REPEAT('0', 64))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_chain_head',
      'audit_log',
      'kms_key_versions',
      'role_ip_rules',
      'auth_throttle',
      'refresh_tokens',
      'sessions',
      'mfa_recovery_codes',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
