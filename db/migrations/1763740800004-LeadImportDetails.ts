import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lead import details.
 *  - leads.timezone holds every zone of a country that spans several (the dialer calls only when the
 *    window is open in all of them): the United States alone needs 598 characters, so 64 refused
 *    every US number in strict mode.
 *  - lead_imports.duplicates_in_file: of the duplicates, those repeated within the file itself (the
 *    rest were already leads of the campaign), so the report can tell the two apart.
 */
export class LeadImportDetails1763740800004 implements MigrationInterface {
  name = 'LeadImportDetails1763740800004';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE leads MODIFY timezone VARCHAR(1024) NOT NULL');
    await q.query('ALTER TABLE lead_imports ADD COLUMN duplicates_in_file INT UNSIGNED NOT NULL DEFAULT 0 AFTER duplicates');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE lead_imports DROP COLUMN duplicates_in_file');
    await q.query('ALTER TABLE leads MODIFY timezone VARCHAR(64) NOT NULL');
  }
}
