import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { Registration, RegistrationRepository } from './registration.repository';

interface Row {
  user_id: string;
  contact: string;
  source_address: string;
  transport: string;
  user_agent: string | null;
  registered_at: Date;
  expires_at: Date;
}

export class TypeormRegistrationRepository extends RegistrationRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async upsert(r: Registration): Promise<void> {
    await this.db.query(
      `INSERT INTO sip_registrations (user_id, contact, source_address, transport, user_agent, registered_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE contact = VALUES(contact), source_address = VALUES(source_address), transport = VALUES(transport),
         user_agent = VALUES(user_agent), registered_at = VALUES(registered_at), expires_at = VALUES(expires_at)`,
      [r.userId, r.contact, r.sourceAddress, r.transport, r.userAgent, r.registeredAt, r.expiresAt],
    );
  }

  async remove(userId: string, contact?: string): Promise<boolean> {
    const result =
      contact === undefined
        ? await this.db.query('DELETE FROM sip_registrations WHERE user_id = ?', [userId])
        : await this.db.query('DELETE FROM sip_registrations WHERE user_id = ? AND contact = ?', [userId, contact]);
    return affectedRows(result) === 1;
  }

  async findContact(userId: string, now: Date): Promise<Registration | null> {
    const rows: Row[] = await this.db.query(
      `SELECT user_id, contact, source_address, transport, user_agent, registered_at, expires_at
         FROM sip_registrations WHERE user_id = ? AND expires_at > ?`,
      [userId, now],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return {
      userId: r.user_id,
      contact: r.contact,
      sourceAddress: r.source_address,
      transport: r.transport,
      userAgent: r.user_agent,
      registeredAt: r.registered_at,
      expiresAt: r.expires_at,
    };
  }

  async expire(now: Date): Promise<number> {
    return affectedRows(await this.db.query('DELETE FROM sip_registrations WHERE expires_at <= ?', [now]));
  }
}
