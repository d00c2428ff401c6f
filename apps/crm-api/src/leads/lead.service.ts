import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CryptoIntegrityError } from '@app/crypto';
import { AnomalyService } from '../anomaly/anomaly.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadCipher, SubjectKeyDestroyedError } from './lead-cipher.service';
import { LeadRepository } from './lead.repository';
import { LeadPersonalFields, LeadRow } from './lead.types';
import { maskPhone } from './phone';
import { SubjectRepository } from './subject.repository';

/** What a lead card shows: enough to work the call; the phone number masked, identifiers hidden. */
export interface LeadCard {
  id: string;
  campaignId: string;
  status: LeadRow['status'];
  firstName: string | null;
  lastName: string | null;
  phoneMasked: string;
  email: string | null;
  address: string | null;
  nationalIdMasked: string | null;
  notes: string | null;
  custom: Record<string, string> | null;
  timezones: string[];
  attempts: number;
  lastOutcome: string | null;
  consent: LeadRow['consent'];
}

/**
 * Reading personal data: access check, decrypt, mask, audit and count (anomaly detection), always in
 * that order, for every read.
 */
@Injectable()
export class LeadService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly subjects: SubjectRepository,
    private readonly cipher: LeadCipher,
    private readonly access: AccessService,
    private readonly anomaly: AnomalyService,
    private readonly audit: AuditService,
  ) {}

  async card(principal: UserPrincipal, leadId: string): Promise<LeadCard> {
    await this.access.requireAccess(principal, Permission.LeadRead, leadId);
    await this.anomaly.observe(principal, 'lead_read');
    const { lead, fields } = await this.decrypt(leadId);
    await this.audit.record({ action: 'lead.read', outcome: 'success', targetType: 'lead', targetId: leadId });
    return toCard(lead, fields);
  }

  /** The full number: a permission, a recent re-authentication (checked by the route), audited and counted. */
  async revealPhone(principal: UserPrincipal, leadId: string): Promise<{ phone: string }> {
    await this.access.requireAccess(principal, Permission.LeadReveal, leadId);
    await this.anomaly.observe(principal, 'reveal');
    const { fields } = await this.decrypt(leadId);
    await this.audit.record({ action: 'lead.reveal_phone', outcome: 'success', targetType: 'lead', targetId: leadId });
    return { phone: fields.phone };
  }

  /** Decrypts a lead. Tampering fails loudly (and is audited); an erased person reads as not found. */
  async decrypt(leadId: string): Promise<{ lead: LeadRow; fields: LeadPersonalFields }> {
    const lead = await this.leads.findById(leadId);
    if (!lead || lead.status === 'erased') throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    const subject = await this.subjects.findById(lead.subjectId);
    let key: Buffer | null = null;
    try {
      key = await this.cipher.unwrapSubjectKey(lead.subjectId, subject?.wrapped ?? null);
      return { lead, fields: this.cipher.open(key, lead.id, lead.fields) };
    } catch (error) {
      if (error instanceof SubjectKeyDestroyedError) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
      if (error instanceof CryptoIntegrityError) {
        await this.audit.record({ action: 'lead.integrity_failure', outcome: 'failure', targetType: 'lead', targetId: leadId });
        throw new CrmException(CrmExceptionCode.IntegrityFailure, 'This lead’s stored data failed its integrity check');
      }
      throw error;
    } finally {
      key?.fill(0);
    }
  }
}

function toCard(lead: LeadRow, f: LeadPersonalFields): LeadCard {
  return {
    id: lead.id,
    campaignId: lead.campaignId,
    status: lead.status,
    firstName: f.firstName,
    lastName: f.lastName,
    phoneMasked: maskPhone(f.phone),
    email: f.email,
    address: f.address,
    nationalIdMasked: f.nationalId ? `${'*'.repeat(Math.max(0, f.nationalId.length - 2))}${f.nationalId.slice(-2)}` : null,
    notes: f.notes,
    custom: f.custom,
    timezones: lead.timezones,
    attempts: lead.attempts,
    lastOutcome: lead.lastOutcome,
    consent: lead.consent,
  };
}
