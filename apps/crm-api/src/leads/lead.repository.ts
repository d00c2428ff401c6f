import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { affectedRows } from '@app/database';
import { ConsentBasis, EncryptedFields, FIELD_COLUMNS, LeadRow, LeadStatus, PERSONAL_FIELDS, PersonalField } from './lead.types';

export interface NewLead {
  id: string;
  campaignId: string;
  listId: string | null;
  importId: string | null;
  subjectId: string;
  phoneBidx: string;
  emailBidx: string | null;
  fields: EncryptedFields;
  phoneRegion: string | null;
  timezones: string[];
  consent: { basis: ConsentBasis; source: string | null; at: Date | null; evidenceRef: string | null } | null;
}

export abstract class LeadRepository {
  /** Inserts leads; one whose phone is already in the campaign is skipped. Returns the ids inserted. */
  abstract insertMany(leads: readonly NewLead[], em?: EntityManager): Promise<Set<string>>;
  abstract findById(id: string): Promise<LeadRow | null>;
  abstract findBySubject(subjectId: string): Promise<LeadRow[]>;
  abstract findByEmailIndex(emailBidx: string): Promise<LeadRow[]>;
  /** Of these phone indexes, those already present in the campaign. */
  abstract existingPhoneIndexes(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>>;
  abstract updateFields(id: string, fields: Partial<EncryptedFields>, emailBidx?: string | null): Promise<void>;
  abstract setStatus(id: string, status: LeadStatus): Promise<void>;
  /** Erasure: every personal field gone, the lead kept only as a workflow shell (status 'erased'). */
  abstract erasePersonalFields(subjectId: string): Promise<number>;
}

export interface LeadDbRow {
  id: string;
  campaign_id: string;
  list_id: string | null;
  import_id: string | null;
  subject_id: string;
  phone_bidx: string;
  email_bidx: string | null;
  first_name_enc: Buffer | null;
  last_name_enc: Buffer | null;
  phone_enc: Buffer | null;
  email_enc: Buffer | null;
  address_enc: Buffer | null;
  national_id_enc: Buffer | null;
  notes_enc: Buffer | null;
  custom_enc: Buffer | null;
  phone_region: string | null;
  timezone: string;
  status: LeadStatus;
  attempts: number;
  last_outcome: string | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  assigned_agent_id: string | null;
  consent_basis: ConsentBasis | null;
  consent_source: string | null;
  consent_at: Date | null;
  consent_evidence_ref: string | null;
  legal_hold: number;
  created_at: Date;
}

export function toLeadRow(r: LeadDbRow): LeadRow {
  const fields = {} as EncryptedFields;
  for (const field of PERSONAL_FIELDS) fields[field] = (r[FIELD_COLUMNS[field] as keyof LeadDbRow] as Buffer | null) ?? null;
  return {
    id: r.id,
    campaignId: r.campaign_id,
    listId: r.list_id,
    importId: r.import_id,
    subjectId: r.subject_id,
    phoneBidx: r.phone_bidx,
    emailBidx: r.email_bidx,
    fields,
    phoneRegion: r.phone_region,
    timezones: r.timezone.split(','),
    status: r.status,
    attempts: Number(r.attempts),
    lastOutcome: r.last_outcome,
    lastAttemptAt: r.last_attempt_at,
    nextAttemptAt: r.next_attempt_at,
    assignedAgentId: r.assigned_agent_id,
    consent: r.consent_basis
      ? { basis: r.consent_basis, source: r.consent_source, at: r.consent_at, evidenceRef: r.consent_evidence_ref }
      : null,
    legalHold: Number(r.legal_hold) === 1,
    createdAt: r.created_at,
  };
}

@Injectable()
export class TypeormLeadRepository extends LeadRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async insertMany(leads: readonly NewLead[], em?: EntityManager): Promise<Set<string>> {
    if (leads.length === 0) return new Set();
    const runner = em ?? this.db;
    await runner.query(
      `INSERT IGNORE INTO leads (id, campaign_id, list_id, import_id, subject_id, phone_bidx, email_bidx,
         first_name_enc, last_name_enc, phone_enc, email_enc, address_enc, national_id_enc, notes_enc, custom_enc,
         phone_region, timezone, consent_basis, consent_source, consent_at, consent_evidence_ref) VALUES ?`,
      [
        leads.map((l) => [
          l.id,
          l.campaignId,
          l.listId,
          l.importId,
          l.subjectId,
          l.phoneBidx,
          l.emailBidx,
          ...PERSONAL_FIELDS.map((f) => l.fields[f]),
          l.phoneRegion,
          l.timezones.join(','),
          l.consent?.basis ?? null,
          l.consent?.source ?? null,
          l.consent?.at ?? null,
          l.consent?.evidenceRef ?? null,
        ]),
      ],
    );
    const rows: Array<{ id: string }> = await runner.query('SELECT id FROM leads WHERE id IN (?)', [leads.map((l) => l.id)]);
    return new Set(rows.map((r) => r.id));
  }

  async findById(id: string): Promise<LeadRow | null> {
    const rows: LeadDbRow[] = await this.db.query('SELECT * FROM leads WHERE id = ?', [id]);
    return rows[0] ? toLeadRow(rows[0]) : null;
  }

  async findBySubject(subjectId: string): Promise<LeadRow[]> {
    const rows: LeadDbRow[] = await this.db.query('SELECT * FROM leads WHERE subject_id = ? ORDER BY created_at', [subjectId]);
    return rows.map(toLeadRow);
  }

  async findByEmailIndex(emailBidx: string): Promise<LeadRow[]> {
    const rows: LeadDbRow[] = await this.db.query('SELECT * FROM leads WHERE email_bidx = ? ORDER BY created_at', [emailBidx]);
    return rows.map(toLeadRow);
  }

  async existingPhoneIndexes(campaignId: string, phoneBidxs: readonly string[]): Promise<Set<string>> {
    if (phoneBidxs.length === 0) return new Set();
    const rows: Array<{ phone_bidx: string }> = await this.db.query(
      'SELECT phone_bidx FROM leads WHERE campaign_id = ? AND phone_bidx IN (?)',
      [campaignId, [...phoneBidxs]],
    );
    return new Set(rows.map((r) => r.phone_bidx));
  }

  async updateFields(id: string, fields: Partial<EncryptedFields>, emailBidx?: string | null): Promise<void> {
    const entries = Object.entries(fields) as Array<[PersonalField, Buffer | null]>;
    const sets = entries.map(([f]) => `${FIELD_COLUMNS[f]} = ?`);
    const params: unknown[] = entries.map(([, v]) => v);
    if (emailBidx !== undefined) {
      sets.push('email_bidx = ?');
      params.push(emailBidx);
    }
    if (sets.length === 0) return;
    await this.db.query(`UPDATE leads SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  async setStatus(id: string, status: LeadStatus): Promise<void> {
    await this.db.query('UPDATE leads SET status = ? WHERE id = ?', [status, id]);
  }

  async erasePersonalFields(subjectId: string): Promise<number> {
    const nulls = PERSONAL_FIELDS.filter((f) => f !== 'phone').map((f) => `${FIELD_COLUMNS[f]} = NULL`);
    // phone_enc is NOT NULL: an empty value stands for "erased". The phone index is replaced by a value
    // derived from nothing personal, so the number can no longer be matched to this lead.
    const result = await this.db.query(
      `UPDATE leads SET ${nulls.join(', ')}, phone_enc = '', email_bidx = NULL, status = 'erased',
              phone_bidx = SHA2(CONCAT('erased:', id), 256),
              assigned_agent_id = NULL, consent_source = NULL, consent_evidence_ref = NULL
        WHERE subject_id = ?`,
      [subjectId],
    );
    return affectedRows(result);
  }
}
