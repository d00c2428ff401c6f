import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { Consent } from '../leads/lead.types';
import { ComplianceRepository, DialFacts } from './compliance.repository';

export type DialRefusal = 'dnc' | 'no_consent' | 'erased';

export interface DialDecision {
  allowed: boolean;
  reason?: DialRefusal;
}

/**
 * The compliance side of "may this lead be dialled now" (calling windows, attempts and retries are
 * the dialer's), and the consent and legal-hold records of a lead.
 */
@Injectable()
export class ComplianceService {
  constructor(
    private readonly compliance: ComplianceRepository,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  /** Checked at dial time, after any list change since import: global and campaign DNC, then consent. */
  async mayDial(leadId: string): Promise<DialDecision> {
    const facts = await this.compliance.dialFacts(leadId);
    if (!facts) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    return decideDial(facts);
  }

  async setConsent(principal: UserPrincipal, leadId: string, consent: Consent): Promise<void> {
    await this.access.requireAccess(principal, Permission.LeadWrite, leadId);
    if (!(await this.compliance.setConsent(leadId, consent))) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    // The basis only: source and evidence reference can name the person or their documents.
    await this.audit.record({ action: 'lead.consent', outcome: 'success', targetType: 'lead', targetId: leadId, details: { basis: consent.basis } });
  }

  async setLegalHold(principal: UserPrincipal, leadId: string, hold: boolean): Promise<void> {
    await this.access.requireAccess(principal, Permission.LeadWrite, leadId);
    if (!(await this.compliance.setLegalHold(leadId, hold))) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    await this.audit.record({ action: 'lead.legal_hold', outcome: 'success', targetType: 'lead', targetId: leadId, details: { hold } });
  }
}

/**
 * A campaign that requires consent dials only leads whose recorded lawful basis is consent; any other
 * basis (contract, legitimate interest…) is not consent to be called for it.
 */
export function decideDial(facts: DialFacts): DialDecision {
  if (facts.status === 'erased') return { allowed: false, reason: 'erased' };
  if (facts.dncListed || facts.status === 'dnc') return { allowed: false, reason: 'dnc' };
  if (facts.consentRequired && facts.consentBasis !== 'consent') return { allowed: false, reason: 'no_consent' };
  return { allowed: true };
}
