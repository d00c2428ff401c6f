import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { affectedRows } from '@app/database';
import { Consent, ConsentBasis, LeadStatus } from '../leads/lead.types';

/** What decides whether a lead may be dialled, read in one query (the dialer asks per call). */
export interface DialFacts {
  status: LeadStatus;
  consentBasis: ConsentBasis | null;
  consentRequired: boolean;
  /** On the global list or on the lead's campaign's list. */
  dncListed: boolean;
}

/** Consent, legal hold and dial checks on leads. Personal fields are not touched here. */
export abstract class ComplianceRepository {
  abstract dialFacts(leadId: string): Promise<DialFacts | null>;
  /** False when the lead does not exist or was erased. */
  abstract setConsent(leadId: string, consent: Consent): Promise<boolean>;
  abstract setLegalHold(leadId: string, hold: boolean): Promise<boolean>;
}

interface FactsRow {
  status: LeadStatus;
  consent_basis: ConsentBasis | null;
  consent_required: number;
  dnc: number | string;
}

@Injectable()
export class TypeormComplianceRepository extends ComplianceRepository {
  constructor(private readonly db: DataSource) {
    super();
  }

  async dialFacts(leadId: string): Promise<DialFacts | null> {
    const rows: FactsRow[] = await this.db.query(
      `SELECT l.status, l.consent_basis, c.consent_required,
              EXISTS (SELECT 1 FROM dnc_entries d WHERE d.phone_bidx = l.phone_bidx AND d.campaign_key IN ('', l.campaign_id)) AS dnc
         FROM leads l JOIN campaigns c ON c.id = l.campaign_id
        WHERE l.id = ?`,
      [leadId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      status: r.status,
      consentBasis: r.consent_basis,
      consentRequired: Number(r.consent_required) === 1,
      dncListed: Number(r.dnc) === 1,
    };
  }

  async setConsent(leadId: string, c: Consent): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE leads SET consent_basis = ?, consent_source = ?, consent_at = ?, consent_evidence_ref = ?
        WHERE id = ? AND status <> 'erased'`,
      [c.basis, c.source, c.at, c.evidenceRef, leadId],
    );
    return affectedRows(result) === 1 || (await this.exists(leadId));
  }

  async setLegalHold(leadId: string, hold: boolean): Promise<boolean> {
    const result = await this.db.query(`UPDATE leads SET legal_hold = ? WHERE id = ? AND status <> 'erased'`, [hold ? 1 : 0, leadId]);
    return affectedRows(result) === 1 || (await this.exists(leadId));
  }

  /** MySQL counts a row set to the values it already had as not affected: tell that apart from absent. */
  private async exists(leadId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM leads WHERE id = ? AND status <> 'erased'`, [leadId]);
    return rows.length === 1;
  }
}
