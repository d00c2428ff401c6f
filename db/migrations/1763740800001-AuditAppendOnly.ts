import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Makes the audit log append-only inside the database, so a stolen application credential or a
 * mistaken script cannot quietly rewrite history: entries are never updated or deleted, a new entry
 * must continue the chain head, and the head only moves forward, one entry at a time. Someone who can
 * drop triggers can still tamper; the hash chain and verify are what catch that.
 *
 * With binary logging on, creating triggers needs SUPER or log_bin_trust_function_creators=1 for the
 * migrating user. TRUNCATE skips triggers: the application's user must not hold DROP on these tables.
 */
export class AuditAppendOnly1763740800001 implements MigrationInterface {
  name = 'AuditAppendOnly1763740800001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
    await q.query(`
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'`);
    // Appends hold the head's row lock, so the head read here is the one the entry links to.
    await q.query(`
      CREATE TRIGGER audit_log_continue_head BEFORE INSERT ON audit_log FOR EACH ROW
      BEGIN
        IF NOT EXISTS (
          SELECT 1 FROM audit_chain_head
           WHERE id = 1 AND last_seq + 1 = NEW.seq AND last_hash = NEW.prev_hash
        ) THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log entries must continue the chain head';
        END IF;
      END`);
    await q.query(`
      CREATE TRIGGER audit_chain_head_advance BEFORE UPDATE ON audit_chain_head FOR EACH ROW
      BEGIN
        IF NEW.id <> OLD.id OR NEW.last_seq <> OLD.last_seq + 1 OR NOT EXISTS (
          SELECT 1 FROM audit_log WHERE seq = NEW.last_seq AND hash = NEW.last_hash
        ) THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain_head only advances to the entry just appended';
        END IF;
      END`);
    await q.query(`
      CREATE TRIGGER audit_chain_head_no_delete BEFORE DELETE ON audit_chain_head FOR EACH ROW
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_chain_head cannot be deleted'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const trigger of [
      'audit_chain_head_no_delete',
      'audit_chain_head_advance',
      'audit_log_continue_head',
      'audit_log_no_delete',
      'audit_log_no_update',
    ]) {
      await q.query(`DROP TRIGGER IF EXISTS ${trigger}`);
    }
  }
}
