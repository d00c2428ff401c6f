import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Campaigns and who works on them. A manager sees what is in the campaigns they are a manager of;
 * an agent only ever sees campaigns they are assigned to. Nothing here is personal data of customers.
 */
export class Campaigns1763740800002 implements MigrationInterface {
  name = 'Campaigns1763740800002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaigns (
        id CHAR(36) NOT NULL PRIMARY KEY,
        name VARCHAR(128) NOT NULL,
        status ENUM('draft','active','paused','finished') NOT NULL DEFAULT 'draft',
        dial_mode ENUM('preview','progressive','predictive') NOT NULL,
        caller_ids TEXT NOT NULL,
        window_start_hour TINYINT UNSIGNED NOT NULL,
        window_end_hour TINYINT UNSIGNED NOT NULL,
        window_days VARCHAR(32) NOT NULL,
        holidays TEXT NOT NULL,
        default_timezone VARCHAR(64) NOT NULL,
        max_attempts SMALLINT UNSIGNED NOT NULL,
        retry_delays TEXT NOT NULL,
        dispositions TEXT NOT NULL,
        script MEDIUMTEXT NOT NULL,
        recording_policy ENUM('all','none','on_demand') NOT NULL DEFAULT 'all',
        agent_playback_allowed TINYINT(1) NOT NULL DEFAULT 0,
        max_abandon_rate DECIMAL(5,4) NOT NULL DEFAULT 0.0300,
        recording_retention_days INT UNSIGNED NOT NULL,
        lead_retention_days INT UNSIGNED NOT NULL,
        consent_required TINYINT(1) NOT NULL DEFAULT 0,
        created_by CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        KEY ix_campaigns_status (status)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);

    await q.query(`
      CREATE TABLE campaign_members (
        campaign_id CHAR(36) NOT NULL,
        user_id CHAR(36) NOT NULL,
        member_role ENUM('manager','agent') NOT NULL,
        created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
        PRIMARY KEY (campaign_id, user_id),
        KEY ix_members_user (user_id, member_role),
        CONSTRAINT fk_members_campaign FOREIGN KEY (campaign_id) REFERENCES campaigns(id) ON DELETE CASCADE,
        CONSTRAINT fk_members_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS campaign_members');
    await q.query('DROP TABLE IF EXISTS campaigns');
  }
}
