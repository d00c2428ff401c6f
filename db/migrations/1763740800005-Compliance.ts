import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Compliance: a rejected data-subject request says why (a reason code, never personal data), and the
 * retention job finds a campaign's old leads by creation time without scanning the campaign.
 */
export class Compliance1763740800005 implements MigrationInterface {
  name = 'Compliance1763740800005';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE privacy_requests ADD COLUMN reason VARCHAR(64) NULL AFTER status');
    await q.query('ALTER TABLE leads ADD KEY ix_leads_retention (campaign_id, created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE leads DROP KEY ix_leads_retention');
    await q.query('ALTER TABLE privacy_requests DROP COLUMN reason');
  }
}
