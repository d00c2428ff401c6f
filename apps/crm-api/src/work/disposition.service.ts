import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '@app/audit';
import { AccessService, Permission, UserPrincipal } from '@app/auth';
import { Clock } from '@app/domain';
import { CampaignRepository } from '../campaigns/campaign.repository';
import { Campaign, Disposition } from '../campaigns/campaign.types';
import { DncService } from '../compliance/dnc.service';
import { CrmException, CrmExceptionCode } from '../crm.exception';
import { LeadRepository } from '../leads/lead.repository';
import { LeadService } from '../leads/lead.service';
import { LeadRow, LeadStatus } from '../leads/lead.types';
import { DispositionRepository } from './disposition.repository';
import { NoteService } from './note.service';
import { DispositionCreateDto } from './work.dto';
import { DispositionWrite } from './work.types';

const MINUTE_MS = 60_000;
/** A callback further out than this is a typo more often than a plan. */
const MAX_CALLBACK_AHEAD_MS = 366 * 24 * 60 * MINUTE_MS;

export interface DispositionResult {
  leadId: string;
  code: string;
  leadStatus: LeadStatus;
  callbackId: string | null;
  callRecordId: string | null;
}

/**
 * An agent closes their work on a lead with a code from the campaign's set. The code's kind decides
 * what happens to the lead; the agent's assignment ends either way, so they no longer see the lead
 * unless they set a callback for themselves.
 */
@Injectable()
export class DispositionService {
  constructor(
    private readonly dispositions: DispositionRepository,
    private readonly leads: LeadRepository,
    private readonly leadService: LeadService,
    private readonly campaigns: CampaignRepository,
    private readonly notes: NoteService,
    private readonly dnc: DncService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async dispose(principal: UserPrincipal, leadId: string, dto: DispositionCreateDto): Promise<DispositionResult> {
    // Read before the access check: what is compared-and-set below is then a state the check covered,
    // so a second, concurrent disposition of the same lead finds it changed and writes nothing.
    const lead = await this.leads.findById(leadId);
    await this.access.requireAccess(principal, Permission.WorkRecordWrite, leadId);
    if (!lead) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');
    const campaign = await this.campaigns.findById(lead.campaignId);
    if (!campaign) throw new CrmException(CrmExceptionCode.NotFound, 'Not found');

    const disposition = campaign.dispositions.find((d) => d.code === dto.code);
    if (!disposition) throw new CrmException(CrmExceptionCode.InvalidLead, 'That disposition code is not in the campaign’s set');
    const now = this.clock.now();
    const callback = this.callbackOf(principal, campaign, disposition, dto, now);

    if (dto.note) await this.notes.addChecked(principal, leadId, dto.note);
    if (disposition.kind === 'do_not_call') {
      // "Do not call me" is said to the company, not to one campaign: the number goes on the global
      // list at once, before anything else, so no dialer picks it up again even if the rest fails.
      const { fields } = await this.leadService.decrypt(leadId);
      await this.dnc.add(fields.phone, null, 'disposition', principal.userId, `disposition:${disposition.code}`);
    }

    const write: DispositionWrite = {
      leadId,
      agentId: principal.userId,
      code: disposition.code,
      expected: { status: lead.status, assignedAgentId: lead.assignedAgentId },
      next: nextState(lead, campaign, disposition, callback?.dueAt ?? null, now),
      callback,
    };
    const result = await this.dispositions.apply(write);
    if (!result.applied) {
      await this.audit.record({
        action: 'work.disposition',
        outcome: 'failure',
        targetType: 'lead',
        targetId: leadId,
        details: { code: disposition.code, reason: 'lead_changed' },
      });
      throw new CrmException(CrmExceptionCode.Conflict, 'The lead changed meanwhile; nothing was recorded');
    }
    await this.audit.record({
      action: 'work.disposition',
      outcome: 'success',
      targetType: 'lead',
      targetId: leadId,
      details: {
        code: disposition.code,
        kind: disposition.kind,
        leadStatus: write.next.status,
        callback: callback?.id ?? null,
        callbackScope: callback ? (callback.agentId ? 'mine' : 'campaign') : null,
        callRecord: result.callRecordId,
      },
    });
    return { leadId, code: disposition.code, leadStatus: write.next.status, callbackId: callback?.id ?? null, callRecordId: result.callRecordId };
  }

  private callbackOf(
    principal: UserPrincipal,
    campaign: Campaign,
    disposition: Disposition,
    dto: DispositionCreateDto,
    now: Date,
  ): DispositionWrite['callback'] {
    if (disposition.kind !== 'callback') {
      if (dto.callback) throw new CrmException(CrmExceptionCode.InvalidLead, 'Only a callback disposition takes a callback time');
      return null;
    }
    if (!dto.callback) throw new CrmException(CrmExceptionCode.InvalidLead, 'A callback disposition needs a callback time and scope');
    const dueAt = new Date(dto.callback.at);
    if (dueAt.getTime() <= now.getTime() || dueAt.getTime() - now.getTime() > MAX_CALLBACK_AHEAD_MS) {
      throw new CrmException(CrmExceptionCode.InvalidLead, 'The callback time must be in the future, within a year');
    }
    return { id: randomUUID(), campaignId: campaign.id, agentId: dto.callback.scope === 'mine' ? principal.userId : null, dueAt };
  }
}

/**
 * The lead's next state by the disposition's kind. A non-final code goes back to the dialer as a retry
 * after the campaign's no-answer delay (the agent reached no one, or no one who could decide), unless
 * the lead has used up its attempts; the dialer may still push it later by its own rules.
 */
export function nextState(
  lead: Pick<LeadRow, 'attempts'>,
  campaign: Pick<Campaign, 'maxAttempts' | 'retryDelays'>,
  disposition: Pick<Disposition, 'kind' | 'final'>,
  callbackAt: Date | null,
  now: Date,
): DispositionWrite['next'] {
  switch (disposition.kind) {
    case 'callback':
      return { status: 'callback', nextAttemptAt: callbackAt };
    case 'do_not_call':
      return { status: 'dnc', nextAttemptAt: null };
    case 'wrong_number':
      return { status: 'invalid', nextAttemptAt: null };
    case 'contact':
    case 'conversion':
    case 'no_contact':
      if (disposition.final || lead.attempts >= campaign.maxAttempts) return { status: 'done', nextAttemptAt: null };
      return { status: 'retry', nextAttemptAt: new Date(now.getTime() + campaign.retryDelays.noAnswer * MINUTE_MS) };
  }
}
