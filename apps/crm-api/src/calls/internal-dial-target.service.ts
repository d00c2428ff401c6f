import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { ComplianceService } from '../compliance/compliance.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadRepository } from '../leads/lead.repository';
import { LeadService } from '../leads/lead.service';

export type DialTargetRefusal = 'dnc' | 'no_consent' | 'erased' | 'not_found';
export type DialTarget = { allowed: true; number: string } | { allowed: false; reason: DialTargetRefusal };

/**
 * The number behind a lead, given to the dialer only, only for a lead it has reserved in that
 * campaign, and only when the lead may still be called: DNC lists, consent and erasure are checked
 * again at dial time, since any of them can change after the lead was selected. Every answer is
 * audited, never with the number.
 */
@Injectable()
export class DialTargetService {
  constructor(
    private readonly leads: LeadRepository,
    private readonly leadService: LeadService,
    private readonly compliance: ComplianceService,
    private readonly audit: AuditService,
  ) {}

  async dialTarget(leadId: string, campaignId: string, callId: string): Promise<DialTarget> {
    const decision = await this.decide(leadId, campaignId);
    await this.audit.record({
      action: 'lead.dial_target',
      outcome: decision.allowed ? 'success' : 'denied',
      targetType: 'lead',
      targetId: leadId,
      details: decision.allowed ? { callId, allowed: true } : { callId, allowed: false, reason: decision.reason },
    });
    return decision;
  }

  private async decide(leadId: string, campaignId: string): Promise<DialTarget> {
    const lead = await this.leads.findById(leadId);
    if (!lead || lead.campaignId !== campaignId) return { allowed: false, reason: 'not_found' };
    const may = await this.compliance.mayDial(leadId);
    if (!may.allowed) return { allowed: false, reason: may.reason ?? 'dnc' };
    // Only a lead a dialer holds: a dialer's token is not a way to read any number of the CRM.
    if (lead.status !== 'reserved') return { allowed: false, reason: 'not_found' };
    try {
      const { fields } = await this.leadService.decrypt(leadId);
      return { allowed: true, number: fields.phone };
    } catch (error) {
      // Erased between the check and the decryption (the subject's key is gone).
      if (error instanceof CrmException && error.code === CrmExceptionCode.NotFound) return { allowed: false, reason: 'erased' };
      throw error;
    }
  }
}
